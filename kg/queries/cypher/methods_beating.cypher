// methods_beating — which methods beat a baseline on a dataset (or on a task)?
// param baseline (name): the beaten method, any alias, any case ("resnet50" finds ResNet-50);
//                        "SOTA" for claims against the unnamed state of the art
// param dataset (name, optional): a dataset or task, any alias; empty for all
// columns: winner, loser, dataset, metric, delta, paper, title, confidence, evidence
// order: winner, paper, loser, dataset
// Name parameters are compared with each node's `keys` (lowercase letters and digits of every
// alias); `kg query` and the Python helpers normalise them before binding.
MATCH (l:Method) WHERE $baseline IN l.keys
MATCH (w:Method)<-[:WINNER]-(c:Comparison)-[:LOSER]->(l)
MATCH (c)-[:STATED_IN]->(p:Paper)
OPTIONAL MATCH (c)-[:ON_DATASET]->(d:Dataset)
OPTIONAL MATCH (c)-[:BY_METRIC]->(m:Metric)
OPTIONAL MATCH (p)-[:ADDRESSES]->(t:Task) WHERE $dataset IN t.keys
WITH w, l, c, p, d, m, t
WHERE $dataset = '' OR (d IS NOT NULL AND $dataset IN d.keys) OR t IS NOT NULL
RETURN DISTINCT w.name AS winner, l.name AS loser, coalesce(d.name, '') AS dataset,
       coalesce(m.name, '') AS metric, coalesce(c.delta, '') AS delta, p.id AS paper,
       p.title AS title, c.confidence AS confidence, c.sentence AS evidence
UNION
MATCH (w:Method)<-[:WINNER]-(c:Comparison)-[:STATED_IN]->(p:Paper)
WHERE $baseline = 'sota' AND c.vs_sota
OPTIONAL MATCH (c)-[:ON_DATASET]->(d:Dataset)
OPTIONAL MATCH (c)-[:BY_METRIC]->(m:Metric)
OPTIONAL MATCH (p)-[:ADDRESSES]->(t:Task) WHERE $dataset IN t.keys
WITH w, c, p, d, m, t
WHERE $dataset = '' OR (d IS NOT NULL AND $dataset IN d.keys) OR t IS NOT NULL
RETURN DISTINCT w.name AS winner, 'SOTA' AS loser, coalesce(d.name, '') AS dataset,
       coalesce(m.name, '') AS metric, coalesce(c.delta, '') AS delta, p.id AS paper,
       p.title AS title, c.confidence AS confidence, c.sentence AS evidence
