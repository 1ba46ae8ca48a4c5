// sota_claims — which methods claim the state of the art on a dataset (or task)?
// param dataset (name): a dataset or task, any alias, any case
// columns: method, dataset, metric, delta, paper, title, confidence, evidence
// order: method, paper, dataset
// A branch for a dataset and one for a task, each starting from the alias index; the runner
// leaves out the branch whose `// when` guard fails (see methods_beating.cypher for the shape).
// when $dataset names Dataset
MATCH (:Alias {key: $dataset})-[:NAMES]->(d:Dataset)<-[:ON_DATASET]-(c:Comparison)
WHERE c.vs_sota
OPTIONAL MATCH (c)-[:WINNER]->(m:Method)
OPTIONAL MATCH (c)-[:STATED_IN]->(p:Paper)
WITH c, d, m, p
WHERE m IS NOT NULL AND p IS NOT NULL
OPTIONAL MATCH (c)-[:BY_METRIC]->(x:Metric)
RETURN DISTINCT m.name AS method, d.name AS dataset, coalesce(x.name, '') AS metric,
       coalesce(c.delta, '') AS delta, p.id AS paper, p.title AS title,
       c.confidence AS confidence, c.sentence AS evidence
UNION
// when $dataset names Task
MATCH (:Alias {key: $dataset})-[:NAMES]->(:Task)<-[:ADDRESSES]-(p:Paper)<-[:STATED_IN]-(c:Comparison)
WHERE c.vs_sota
OPTIONAL MATCH (c)-[:WINNER]->(m:Method)
WITH c, p, m
WHERE m IS NOT NULL
OPTIONAL MATCH (c)-[:ON_DATASET]->(d:Dataset)
OPTIONAL MATCH (c)-[:BY_METRIC]->(x:Metric)
RETURN DISTINCT m.name AS method, coalesce(d.name, '') AS dataset, coalesce(x.name, '') AS metric,
       coalesce(c.delta, '') AS delta, p.id AS paper, p.title AS title,
       c.confidence AS confidence, c.sentence AS evidence
