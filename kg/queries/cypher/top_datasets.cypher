// top_datasets — the datasets used by most papers
// param limit (int, default=20, range=1..1000000): how many rows
// columns: dataset, papers
// order: -papers, dataset
MATCH (p:Paper)-[:USES_DATASET]->(d:Dataset)
WITH d, count(DISTINCT p) AS papers
ORDER BY papers DESC, d.name
LIMIT $limit
RETURN d.name AS dataset, papers
