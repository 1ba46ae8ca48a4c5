// method_profile — everything the graph says about one method: papers, wins, losses
// param method (name): a method, any alias
// columns: method, relation, other, dataset, paper, title
// order: relation, paper, other, dataset
// relation is one of: proposed_in, mentioned_in, beats, beaten_by
MATCH (m:Method) WHERE $method IN m.keys
MATCH (p:Paper)-[:PROPOSES]->(m)
RETURN m.name AS method, 'proposed_in' AS relation, '' AS other, '' AS dataset, p.id AS paper, p.title AS title
UNION
MATCH (m:Method) WHERE $method IN m.keys
MATCH (p:Paper)-[:MENTIONS]->(m)
RETURN m.name AS method, 'mentioned_in' AS relation, '' AS other, '' AS dataset, p.id AS paper, p.title AS title
UNION
MATCH (m:Method) WHERE $method IN m.keys
MATCH (m)<-[:WINNER]-(c:Comparison)-[:STATED_IN]->(p:Paper)
OPTIONAL MATCH (c)-[:LOSER]->(o:Method)
OPTIONAL MATCH (c)-[:ON_DATASET]->(d:Dataset)
RETURN m.name AS method, 'beats' AS relation, coalesce(o.name, 'SOTA') AS other,
       coalesce(d.name, '') AS dataset, p.id AS paper, p.title AS title
UNION
MATCH (m:Method) WHERE $method IN m.keys
MATCH (m)<-[:LOSER]-(c:Comparison)-[:STATED_IN]->(p:Paper)
MATCH (c)-[:WINNER]->(o:Method)
OPTIONAL MATCH (c)-[:ON_DATASET]->(d:Dataset)
RETURN m.name AS method, 'beaten_by' AS relation, o.name AS other,
       coalesce(d.name, '') AS dataset, p.id AS paper, p.title AS title
