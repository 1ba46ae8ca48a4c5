// leaderboard — reported values of one metric on one dataset, best first by the metric's direction
// param dataset (name): a dataset, any alias
// param metric (name): a metric, any alias ("top-1", "mIoU", "FID")
// columns: rank, method, value, unit, metric, higher_is_better, paper, title, evidence
// order: sort_key, method, paper
// sort_key (not a column) is the value, negated when higher is better: best first.
// Ties keep every row; a method reported by several papers appears once per paper.
// when $dataset names Dataset and $metric names Metric
MATCH (:Alias {key: $dataset})-[:NAMES]->(d:Dataset)<-[:ON_DATASET]-(r:Result)-[:BY_METRIC]->(x:Metric)<-[:NAMES]-(:Alias {key: $metric})
MATCH (r)-[:OF_METHOD]->(m:Method)
MATCH (r)-[:STATED_IN]->(p:Paper)
WITH m, r, x, p,
     CASE WHEN x.higher_is_better = false THEN r.value ELSE -r.value END AS sort_key
RETURN 0 AS rank, m.name AS method, r.value AS value, coalesce(r.unit, '') AS unit, x.name AS metric,
       coalesce(x.higher_is_better, true) AS higher_is_better, p.id AS paper, p.title AS title,
       r.sentence AS evidence, sort_key
ORDER BY sort_key, method, paper
