// datasets_for_method — datasets used by the papers that propose or mention a method
// param method (name): a method, any alias
// columns: dataset, papers
// order: -papers, dataset
MATCH (:Alias {key: $method})-[:NAMES]->(m:Method)<-[:PROPOSES|MENTIONS]-(p:Paper)-[:USES_DATASET]->(d:Dataset)
RETURN d.name AS dataset, count(DISTINCT p.id) AS papers
