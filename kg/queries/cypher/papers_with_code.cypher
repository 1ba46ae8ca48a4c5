// papers_with_code — papers with a code repository, for a method or a dataset (or all)
// param method (name, optional): a method the paper proposes or mentions
// param dataset (name, optional): a dataset the paper uses
// columns: paper, title, repository, date
// order: paper, repository
// One branch per combination of given names, each starting from the alias index; the runner
// leaves out the branches whose `// when` guard fails. (The last one reaches the repository with
// OPTIONAL MATCH + WHERE: LadybugDB plans it 3x faster than a pattern; the others the reverse.)
// when $method = '' and $dataset = ''
MATCH (p:Paper)-[:HAS_CODE]->(r:Repository)
WHERE $method = '' AND $dataset = ''
RETURN DISTINCT p.id AS paper, p.title AS title, r.url AS repository, coalesce(p.date, '') AS date
UNION
// when $method names Method and $dataset = ''
MATCH (:Alias {key: $method})-[:NAMES]->(:Method)<-[:PROPOSES|MENTIONS]-(p:Paper)-[:HAS_CODE]->(r:Repository)
WHERE $dataset = ''
RETURN DISTINCT p.id AS paper, p.title AS title, r.url AS repository, coalesce(p.date, '') AS date
UNION
// when $method = '' and $dataset names Dataset
MATCH (:Alias {key: $dataset})-[:NAMES]->(:Dataset)<-[:USES_DATASET]-(p:Paper)-[:HAS_CODE]->(r:Repository)
WHERE $method = ''
RETURN DISTINCT p.id AS paper, p.title AS title, r.url AS repository, coalesce(p.date, '') AS date
UNION
// when $method names Method and $dataset names Dataset
MATCH (:Alias {key: $method})-[:NAMES]->(:Method)<-[:PROPOSES|MENTIONS]-(p:Paper)-[:USES_DATASET]->(:Dataset)<-[:NAMES]-(:Alias {key: $dataset})
OPTIONAL MATCH (p)-[:HAS_CODE]->(r:Repository)
WITH p, r
WHERE r IS NOT NULL
RETURN DISTINCT p.id AS paper, p.title AS title, r.url AS repository, coalesce(p.date, '') AS date
