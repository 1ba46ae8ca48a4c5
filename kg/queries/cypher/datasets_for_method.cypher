// datasets_for_method — datasets used by the papers that propose or mention a method
// param method (name): a method, any alias
// columns: dataset, papers
// order: -papers, dataset
MATCH (m:Method) WHERE $method IN m.keys
MATCH (m)<-[:PROPOSES|MENTIONS]-(p:Paper)-[:USES_DATASET]->(d:Dataset)
RETURN d.name AS dataset, count(DISTINCT p.id) AS papers
