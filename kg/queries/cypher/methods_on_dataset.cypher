// methods_on_dataset — methods proposed or mentioned by the papers that use a dataset
// param dataset (name): a dataset, any alias
// columns: method, papers, proposed_by
// order: -papers, method
MATCH (:Alias {key: $dataset})-[:NAMES]->(d:Dataset)<-[:USES_DATASET]-(p:Paper)-[:PROPOSES|MENTIONS]->(m:Method)
OPTIONAL MATCH (p)-[own:PROPOSES]->(m)
WITH m, p, CASE WHEN own IS NULL THEN 0 ELSE 1 END AS proposes
RETURN m.name AS method, count(DISTINCT p.id) AS papers, sum(proposes) AS proposed_by
