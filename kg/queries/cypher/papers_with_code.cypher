// papers_with_code — papers with a code repository, for a method or a dataset (or all)
// param method (name, optional): a method the paper proposes or mentions
// param dataset (name, optional): a dataset the paper uses
// columns: paper, title, repository, date
// order: paper, repository
MATCH (p:Paper)-[:HAS_CODE]->(r:Repository)
OPTIONAL MATCH (p)-[:PROPOSES|MENTIONS]->(m:Method) WHERE $method IN m.keys
OPTIONAL MATCH (p)-[:USES_DATASET]->(d:Dataset) WHERE $dataset IN d.keys
WITH p, r, m, d
WHERE ($method = '' OR m IS NOT NULL) AND ($dataset = '' OR d IS NOT NULL)
RETURN DISTINCT p.id AS paper, p.title AS title, r.url AS repository, coalesce(p.date, '') AS date
