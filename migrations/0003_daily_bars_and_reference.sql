-- Reference data per symbol and trading day (QMT get_instrument_detail / get_divid_factors).
-- The latest fact of a (symbol, day) in the log wins: `seq` is its JetStream sequence, so a replay writes the same.
CREATE TABLE IF NOT EXISTS instrument_ref{{on_cluster}} (
  symbol LowCardinality(String),
  day Date,
  name String,
  pre_close Float64,
  limit_up Float64,
  limit_down Float64,
  st Bool,
  adjust Float64,
  seq UInt64
) ENGINE = {{replacing:seq}}
PARTITION BY toYear(day)
ORDER BY (symbol, day);

-- Daily bars with the day's reference data. `version` = 2 x rev + (reference data known), so a bar revised by
-- a late minute, and a bar whose reference data arrived after it, both replace the stored row.
CREATE TABLE IF NOT EXISTS bars_1d{{on_cluster}} (
  symbol LowCardinality(String),
  frame Date,
  open Float64,
  high Float64,
  low Float64,
  close Float64,
  vol Float64,
  amount Float64,
  rev UInt32,
  adjust Float64,
  st Bool,
  limit_up Nullable(Float64),
  limit_down Nullable(Float64),
  pre_close Nullable(Float64),
  ref_computed Bool,
  version UInt64
) ENGINE = {{replacing:version}}
PARTITION BY toYear(frame)
ORDER BY (symbol, frame);
