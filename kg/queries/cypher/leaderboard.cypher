// leaderboard — reported values of one metric on one dataset, best first by the metric's direction
// param dataset (name): a dataset, any alias
// param metric (name): a metric, any alias ("top-1", "mIoU", "FID")
// columns: rank, method, value, unit, metric, direction, title, paper, confidence, evidence
// order: sort_key, method, paper
// One row per reported value (Result node): a method reported by several papers appears once per
// paper, each row naming the paper's title. Results are absolute values: a gain ("+1.3%", "by
// 2.3%") is a claim's delta, never a Result, so it cannot rank among the values.
// direction: "higher is better" or "lower is better" from Metric.higher_is_better; "unknown" when
// the metric has none (not in the vocabulary): rows are then listed high to low and rank is null,
// as nothing says which end is best.
// sort_key (not a column) is the value, negated unless lower is better: best (or highest) first;
// a scale unit counts ("380M" FLOPs before "3.1G": K, M, B/G, T are 1e3, 1e6, 1e9, 1e12).
// when $dataset names Dataset and $metric names Metric
MATCH (:Alias {key: $dataset})-[:NAMES]->(d:Dataset)<-[:ON_DATASET]-(r:Result)-[:BY_METRIC]->(x:Metric)<-[:NAMES]-(:Alias {key: $metric})
MATCH (r)-[:OF_METHOD]->(m:Method)
MATCH (r)-[:STATED_IN]->(p:Paper)
WITH m, r, x, p,
     r.value * CASE r.unit WHEN 'K' THEN 1000.0 WHEN 'M' THEN 1000000.0 WHEN 'B' THEN 1000000000.0
                           WHEN 'G' THEN 1000000000.0 WHEN 'T' THEN 1000000000000.0 ELSE 1.0 END AS scaled
WITH m, r, x, p, CASE WHEN x.higher_is_better = false THEN scaled ELSE -scaled END AS sort_key
RETURN CASE WHEN x.higher_is_better IS NULL THEN NULL ELSE 0 END AS rank, m.name AS method,
       r.value AS value, coalesce(r.unit, '') AS unit, x.name AS metric,
       CASE WHEN x.higher_is_better = true THEN 'higher is better'
            WHEN x.higher_is_better = false THEN 'lower is better'
            ELSE 'unknown' END AS direction,
       p.title AS title, p.id AS paper, r.confidence AS confidence, r.sentence AS evidence, sort_key
ORDER BY sort_key, method, paper
