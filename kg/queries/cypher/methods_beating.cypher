// methods_beating — which methods beat a baseline on a dataset (or on a task)?
// param baseline (name): the beaten method, any alias, any case ("resnet50" finds ResNet-50);
//                        "SOTA" for claims against the unnamed state of the art
// param dataset (name, optional): a dataset or task, any alias; empty for all
// columns: winner, loser, dataset, metric, delta, paper, title, confidence, evidence
// order: winner, paper, loser, dataset
// Names are keys (the lowercase letters and digits of an alias: `kg query` and the Python helpers
// normalise them before binding), found through the alias index: (:Alias {key})-[:NAMES]->(n).
// One branch per case; the runner leaves out the branches whose `// when` guard fails (see
// kg/queries.py). A named baseline is found through its BEATS relationships (one per claim,
// carrying the claim's comparison id, paper id and dataset key), each claim's comparison and
// paper then by primary key: a LadybugDB hash join of the loser's claims with the dataset's costs
// as much as both lists (p95 11.4 -> 7.4 ms engine time over 100 typical pairs at 100k papers).
// A method never beats itself (no BEATS relationship; the task branch filters the same claims).
// The other branches start from the alias lookups and reach the winner, paper, dataset and
// metric from the comparisons found (OPTIONAL MATCH, then the WHERE for what must exist):
// LadybugDB plans a mandatory pattern after the first MATCH as scans of whole tables.
// when $baseline names Method and $dataset = ''
MATCH (:Alias {key: $baseline})-[:NAMES]->(l:Method)<-[b:BEATS]-(w:Method)
WHERE $dataset = ''
WITH l, w, b
MATCH (c:Comparison) WHERE c.id = b.comparison
MATCH (p:Paper) WHERE p.id = b.paper
OPTIONAL MATCH (c)-[:ON_DATASET]->(d:Dataset)
OPTIONAL MATCH (c)-[:BY_METRIC]->(m:Metric)
RETURN DISTINCT w.name AS winner, l.name AS loser, coalesce(d.name, '') AS dataset,
       coalesce(m.name, '') AS metric, coalesce(c.delta, '') AS delta, p.id AS paper,
       p.title AS title, c.confidence AS confidence, c.sentence AS evidence
UNION
// when $baseline names Method and $dataset names Dataset
MATCH (:Alias {key: $dataset})-[:NAMES]->(d:Dataset)
MATCH (:Alias {key: $baseline})-[:NAMES]->(l:Method)<-[b:BEATS]-(w:Method)
WHERE b.dataset = d.key
WITH l, w, b, d
MATCH (c:Comparison) WHERE c.id = b.comparison
MATCH (p:Paper) WHERE p.id = b.paper
OPTIONAL MATCH (c)-[:BY_METRIC]->(m:Metric)
RETURN DISTINCT w.name AS winner, l.name AS loser, d.name AS dataset,
       coalesce(m.name, '') AS metric, coalesce(c.delta, '') AS delta, p.id AS paper,
       p.title AS title, c.confidence AS confidence, c.sentence AS evidence
UNION
// when $baseline names Method and $dataset names Task
MATCH (:Alias {key: $baseline})-[:NAMES]->(l:Method)<-[:LOSER]-(c:Comparison)-[:STATED_IN]->(p:Paper)
MATCH (p)-[:ADDRESSES]->(:Task)<-[:NAMES]-(:Alias {key: $dataset})
OPTIONAL MATCH (c)-[:WINNER]->(w:Method)
WITH l, c, p, w
WHERE w IS NOT NULL AND w <> l
OPTIONAL MATCH (c)-[:ON_DATASET]->(d:Dataset)
OPTIONAL MATCH (c)-[:BY_METRIC]->(m:Metric)
RETURN DISTINCT w.name AS winner, l.name AS loser, coalesce(d.name, '') AS dataset,
       coalesce(m.name, '') AS metric, coalesce(c.delta, '') AS delta, p.id AS paper,
       p.title AS title, c.confidence AS confidence, c.sentence AS evidence
UNION
// when $baseline = 'sota' and $dataset = ''
MATCH (w:Method)<-[:WINNER]-(c:Comparison)-[:STATED_IN]->(p:Paper)
WHERE $baseline = 'sota' AND $dataset = '' AND c.vs_sota
OPTIONAL MATCH (c)-[:ON_DATASET]->(d:Dataset)
OPTIONAL MATCH (c)-[:BY_METRIC]->(m:Metric)
RETURN DISTINCT w.name AS winner, 'SOTA' AS loser, coalesce(d.name, '') AS dataset,
       coalesce(m.name, '') AS metric, coalesce(c.delta, '') AS delta, p.id AS paper,
       p.title AS title, c.confidence AS confidence, c.sentence AS evidence
UNION
// when $baseline = 'sota' and $dataset names Dataset
MATCH (:Alias {key: $dataset})-[:NAMES]->(d:Dataset)<-[:ON_DATASET]-(c:Comparison)
WHERE $baseline = 'sota' AND c.vs_sota
OPTIONAL MATCH (w:Method)<-[:WINNER]-(c)-[:STATED_IN]->(p:Paper)
WITH c, d, w, p
WHERE w IS NOT NULL
OPTIONAL MATCH (c)-[:BY_METRIC]->(m:Metric)
RETURN DISTINCT w.name AS winner, 'SOTA' AS loser, d.name AS dataset,
       coalesce(m.name, '') AS metric, coalesce(c.delta, '') AS delta, p.id AS paper,
       p.title AS title, c.confidence AS confidence, c.sentence AS evidence
UNION
// when $baseline = 'sota' and $dataset names Task
MATCH (:Alias {key: $dataset})-[:NAMES]->(:Task)<-[:ADDRESSES]-(p:Paper)<-[:STATED_IN]-(c:Comparison)
WHERE $baseline = 'sota' AND c.vs_sota
OPTIONAL MATCH (c)-[:WINNER]->(w:Method)
WITH c, p, w
WHERE w IS NOT NULL
OPTIONAL MATCH (c)-[:ON_DATASET]->(d:Dataset)
OPTIONAL MATCH (c)-[:BY_METRIC]->(m:Metric)
RETURN DISTINCT w.name AS winner, 'SOTA' AS loser, coalesce(d.name, '') AS dataset,
       coalesce(m.name, '') AS metric, coalesce(c.delta, '') AS delta, p.id AS paper,
       p.title AS title, c.confidence AS confidence, c.sentence AS evidence
