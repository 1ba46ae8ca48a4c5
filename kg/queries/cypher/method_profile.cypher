// method_profile — everything the graph says about one method: papers, wins, losses
// param method (name): a method, any alias
// columns: method, relation, other, dataset, paper, title
// order: relation, paper, other, dataset
// relation is one of: proposed_in, mentioned_in, beats, beaten_by
// Each branch starts from the alias index; the facts of a comparison are reached with OPTIONAL
// MATCH and the ones that must exist are required by WHERE (see methods_beating.cypher).
// when $method names Method
MATCH (:Alias {key: $method})-[:NAMES]->(m:Method)<-[:PROPOSES]-(p:Paper)
RETURN m.name AS method, 'proposed_in' AS relation, '' AS other, '' AS dataset, p.id AS paper, p.title AS title
UNION
// when $method names Method
MATCH (:Alias {key: $method})-[:NAMES]->(m:Method)<-[:MENTIONS]-(p:Paper)
RETURN m.name AS method, 'mentioned_in' AS relation, '' AS other, '' AS dataset, p.id AS paper, p.title AS title
UNION
// when $method names Method
MATCH (:Alias {key: $method})-[:NAMES]->(m:Method)<-[:WINNER]-(c:Comparison)
OPTIONAL MATCH (c)-[:STATED_IN]->(p:Paper)
WITH m, c, p
WHERE p IS NOT NULL
OPTIONAL MATCH (c)-[:LOSER]->(o:Method)
OPTIONAL MATCH (c)-[:ON_DATASET]->(d:Dataset)
RETURN m.name AS method, 'beats' AS relation, coalesce(o.name, 'SOTA') AS other,
       coalesce(d.name, '') AS dataset, p.id AS paper, p.title AS title
UNION
// when $method names Method
MATCH (:Alias {key: $method})-[:NAMES]->(m:Method)<-[:LOSER]-(c:Comparison)
OPTIONAL MATCH (c)-[:STATED_IN]->(p:Paper)
OPTIONAL MATCH (c)-[:WINNER]->(o:Method)
WITH m, c, p, o
WHERE p IS NOT NULL AND o IS NOT NULL
OPTIONAL MATCH (c)-[:ON_DATASET]->(d:Dataset)
RETURN m.name AS method, 'beaten_by' AS relation, o.name AS other,
       coalesce(d.name, '') AS dataset, p.id AS paper, p.title AS title
