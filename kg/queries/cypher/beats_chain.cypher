// beats_chain — chains of "beats" claims from a winner down to a loser, at most max_hops long
// param winner (name): the method at the top of the chain
// param loser (name): the method at the bottom
// param max_hops (int, default=3, range=1..4): the longest chain considered
// columns: hops, chain
// order: hops, chain
// Each hop is a BEATS relationship (one per comparison claim with a named loser); no method
// appears twice in a chain. Written as one branch per length: the subset of Cypher that
// LadybugDB, Neo4j and FalkorDB share has no portable way to return a variable-length path's names.
// Both ends come from the alias index; the runner leaves out the branches longer than max_hops.
// when $max_hops >= 1 and $winner names Method and $loser names Method
MATCH (:Alias {key: $winner})-[:NAMES]->(a:Method), (:Alias {key: $loser})-[:NAMES]->(b:Method)
MATCH (a)-[:BEATS]->(b)
WHERE $max_hops >= 1 AND b.key <> a.key
RETURN DISTINCT 1 AS hops, a.name + ' > ' + b.name AS chain
UNION
// when $max_hops >= 2 and $winner names Method and $loser names Method
MATCH (:Alias {key: $winner})-[:NAMES]->(a:Method), (:Alias {key: $loser})-[:NAMES]->(b:Method)
MATCH (a)-[:BEATS]->(m1:Method)-[:BEATS]->(b)
WHERE $max_hops >= 2 AND b.key <> a.key AND m1.key <> a.key AND m1.key <> b.key
RETURN DISTINCT 2 AS hops, a.name + ' > ' + m1.name + ' > ' + b.name AS chain
UNION
// when $max_hops >= 3 and $winner names Method and $loser names Method
MATCH (:Alias {key: $winner})-[:NAMES]->(a:Method), (:Alias {key: $loser})-[:NAMES]->(b:Method)
MATCH (a)-[:BEATS]->(m1:Method)-[:BEATS]->(m2:Method)-[:BEATS]->(b)
WHERE $max_hops >= 3 AND b.key <> a.key AND m1.key <> a.key AND m1.key <> b.key AND m2.key <> a.key AND m2.key <> b.key AND m2.key <> m1.key
RETURN DISTINCT 3 AS hops, a.name + ' > ' + m1.name + ' > ' + m2.name + ' > ' + b.name AS chain
UNION
// when $max_hops >= 4 and $winner names Method and $loser names Method
MATCH (:Alias {key: $winner})-[:NAMES]->(a:Method), (:Alias {key: $loser})-[:NAMES]->(b:Method)
MATCH (a)-[:BEATS]->(m1:Method)-[:BEATS]->(m2:Method)-[:BEATS]->(m3:Method)-[:BEATS]->(b)
WHERE $max_hops >= 4 AND b.key <> a.key AND m1.key <> a.key AND m1.key <> b.key AND m2.key <> a.key AND m2.key <> b.key AND m2.key <> m1.key AND m3.key <> a.key AND m3.key <> b.key AND m3.key <> m1.key AND m3.key <> m2.key
RETURN DISTINCT 4 AS hops, a.name + ' > ' + m1.name + ' > ' + m2.name + ' > ' + m3.name + ' > ' + b.name AS chain
