// sota_claims — which methods claim the state of the art on a dataset (or task)?
// param dataset (name): a dataset or task, any alias, any case
// columns: method, dataset, metric, delta, paper, title, confidence, evidence
// order: method, paper, dataset
MATCH (m:Method)<-[:WINNER]-(c:Comparison)-[:STATED_IN]->(p:Paper)
WHERE c.vs_sota
OPTIONAL MATCH (c)-[:ON_DATASET]->(d:Dataset)
OPTIONAL MATCH (c)-[:BY_METRIC]->(x:Metric)
OPTIONAL MATCH (p)-[:ADDRESSES]->(t:Task) WHERE $dataset IN t.keys
WITH m, c, p, d, x, t
WHERE (d IS NOT NULL AND $dataset IN d.keys) OR t IS NOT NULL
RETURN DISTINCT m.name AS method, coalesce(d.name, '') AS dataset, coalesce(x.name, '') AS metric,
       coalesce(c.delta, '') AS delta, p.id AS paper, p.title AS title,
       c.confidence AS confidence, c.sentence AS evidence
