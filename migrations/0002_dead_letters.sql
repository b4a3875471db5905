-- Messages a pipeline could not take (malformed, impossible values), kept with the reason, never retried.
CREATE TABLE IF NOT EXISTS dead_letters{{on_cluster}} (
  at DateTime64(3, 'UTC'),
  stage LowCardinality(String),
  reason String,
  payload String
) ENGINE = {{log}}
PARTITION BY toYYYYMM(at)
ORDER BY (stage, at)
TTL toDateTime(at) + INTERVAL 90 DAY;
