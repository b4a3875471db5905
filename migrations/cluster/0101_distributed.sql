-- Cluster variant only (`minutebar migrate --cluster`): a Distributed table `<table>_all` over each local table,
-- so a query or insert on any server reaches every shard. Rows are sharded by symbol: every version of a
-- (symbol, frame) key lands on one shard, where ReplacingMergeTree and FINAL can see them together.
-- Names are qualified: ON CLUSTER runs the statement on servers whose default database may differ.
CREATE TABLE IF NOT EXISTS {{database}}.bars_1m_all{{on_cluster}} AS {{database}}.bars_1m
ENGINE = Distributed({{cluster}}, {{database}}, bars_1m, cityHash64(symbol));

CREATE TABLE IF NOT EXISTS {{database}}.bars_5m_all{{on_cluster}} AS {{database}}.bars_5m
ENGINE = Distributed({{cluster}}, {{database}}, bars_5m, cityHash64(symbol));

CREATE TABLE IF NOT EXISTS {{database}}.bars_30m_all{{on_cluster}} AS {{database}}.bars_30m
ENGINE = Distributed({{cluster}}, {{database}}, bars_30m, cityHash64(symbol));

CREATE TABLE IF NOT EXISTS {{database}}.bars_1d_all{{on_cluster}} AS {{database}}.bars_1d
ENGINE = Distributed({{cluster}}, {{database}}, bars_1d, cityHash64(symbol));

CREATE TABLE IF NOT EXISTS {{database}}.instrument_ref_all{{on_cluster}} AS {{database}}.instrument_ref
ENGINE = Distributed({{cluster}}, {{database}}, instrument_ref, cityHash64(symbol));

-- Dead letters have no symbol and are never merged by key: any shard will do.
CREATE TABLE IF NOT EXISTS {{database}}.dead_letters_all{{on_cluster}} AS {{database}}.dead_letters
ENGINE = Distributed({{cluster}}, {{database}}, dead_letters, rand());
