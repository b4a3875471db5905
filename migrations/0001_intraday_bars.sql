-- Intraday bar tables. A bar is keyed by (symbol, frame); a redelivered or revised bar replaces the
-- stored one, the highest `rev` winning, so projecting the log twice changes nothing.
CREATE TABLE IF NOT EXISTS bars_1m{{on_cluster}} (
  symbol LowCardinality(String),
  frame DateTime('Asia/Shanghai') CODEC(DoubleDelta, ZSTD),
  open Float64,
  high Float64,
  low Float64,
  close Float64,
  vol Float64,
  amount Float64,
  rev UInt32
) ENGINE = {{replacing:rev}}
PARTITION BY toYYYYMM(frame)
ORDER BY (symbol, frame);

CREATE TABLE IF NOT EXISTS bars_5m{{on_cluster}} AS bars_1m ENGINE = {{replacing:rev}}
PARTITION BY toYYYYMM(frame)
ORDER BY (symbol, frame);

CREATE TABLE IF NOT EXISTS bars_30m{{on_cluster}} AS bars_1m ENGINE = {{replacing:rev}}
PARTITION BY toYear(frame)
ORDER BY (symbol, frame);
