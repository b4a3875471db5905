/**
 * Every setting of minutebar, with its default: the one documented place. Each comes from the environment,
 * else from the JSON config file (same keys), else the default. No URL means "run an embedded one".
 */
import { hostname } from "node:os"
import { Config, type Option, type Redacted, Schema } from "effect"

const PositiveInt = Schema.FiniteFromString.pipe(
  Schema.check(
    Schema.isInt({ message: "must be a whole number" }),
    Schema.isGreaterThan(0, { message: "must be > 0" }),
  ),
)

const positiveInt = (name: string, fallback: number) =>
  Config.schema(PositiveInt, name).pipe(Config.withDefault(fallback))

const SpeedSchema = Schema.Union([
  Schema.Literals(["max", "auto"]),
  Schema.FiniteFromString.pipe(
    Schema.check(Schema.isGreaterThan(0, { message: "must be > 0, max or auto" })),
  ),
])

const SymbolList = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^\s*\d{6}\.(SH|SZ|BJ)(\s*,\s*\d{6}\.(SH|SZ|BJ))*\s*$/, {
      message: "must be a comma list of symbols like 000001.SZ,600519.SH",
    }),
  ),
)

const ExchangeList = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^\s*((SH|SZ|BJ)(\s*,\s*(SH|SZ|BJ))*)?\s*$/, {
      message: "must be empty (the whole market) or a comma list of exchanges: SH, SZ, BJ",
    }),
  ),
)

export const Settings = Config.all({
  /** Where embedded servers and chDB keep their data. */
  dataDir: Config.String("DATA_DIR").pipe(Config.withDefault("./data")),

  /** Redis holding the WAN bridge stream, e.g. rediss://:PASSWORD@HOST:6380/0. Unset: a private redis-server. */
  redisUrl: Config.option(Config.Redacted("REDIS_URL")),
  redisStream: Config.String("REDIS_STREAM").pipe(Config.withDefault("minutebar:events")),

  /** NATS with JetStream, e.g. nats://HOST:4222. Unset: a private nats-server -js. */
  natsUrl: Config.option(Config.Redacted("NATS_URL")),
  natsStream: Config.String("NATS_STREAM").pipe(Config.withDefault("MARKET")),
  natsRetentionDays: positiveInt("NATS_RETENTION_DAYS", 30),
  natsDuplicateWindowMs: positiveInt("NATS_DUPLICATE_WINDOW_MS", 600_000),
  /** The log stream's storage, `file` or `memory`; JetStream cannot change it on an existing stream. */
  natsStorage: Config.schema(Schema.Literals(["file", "memory"]), "NATS_STORAGE").pipe(
    Config.withDefault("file" as "file" | "memory"),
  ),
  natsReplicas: positiveInt("NATS_REPLICAS", 1),
  /** Size limit of the log stream in bytes, oldest messages going first; unset: only the retention limits. */
  natsMaxBytes: Config.option(Config.schema(PositiveInt, "NATS_MAX_BYTES")),

  /** A ClickHouse server, e.g. http://HOST:8123. Unset: embedded chDB at CHDB_PATH. */
  clickhouseUrl: Config.option(Config.String("CLICKHOUSE_URL")),
  clickhouseUser: Config.String("CLICKHOUSE_USER").pipe(Config.withDefault("default")),
  clickhousePassword: Config.option(Config.Redacted("CLICKHOUSE_PASSWORD")),
  clickhouseDatabase: Config.String("CLICKHOUSE_DATABASE").pipe(Config.withDefault("default")),
  /** The cluster (in the servers' `remote_servers`) that `minutebar migrate --cluster` creates tables on. */
  clickhouseCluster: Config.String("CLICKHOUSE_CLUSTER").pipe(Config.withDefault("minutebar")),
  chdbPath: Config.option(Config.String("CHDB_PATH")),

  /** Ports of the private servers started when REDIS_URL / NATS_URL are unset. */
  embeddedRedisPort: Config.Port("EMBEDDED_REDIS_PORT").pipe(Config.withDefault(16379)),
  embeddedNatsPort: Config.Port("EMBEDDED_NATS_PORT").pipe(Config.withDefault(14222)),

  httpHost: Config.String("HTTP_HOST").pipe(Config.withDefault("127.0.0.1")),
  httpPort: Config.Port("HTTP_PORT").pipe(Config.withDefault(8080)),
  /** Bearer token every request but /health and the page's files must carry; unset: no token needed. */
  apiToken: Config.option(Config.Redacted("API_TOKEN")),
  /** Origins a browser may call the API from: a comma list, `*`, or empty for same-origin only. */
  corsOrigins: Config.String("CORS_ORIGINS").pipe(Config.withDefault("")),
  /** The symbols of /api/overview, a comma list. */
  watchlist: Config.schema(SymbolList, "WATCHLIST").pipe(
    Config.withDefault("000001.SZ,600519.SH,300750.SZ,600036.SH,600000.SH,002594.SZ"),
  ),
  /** How often the API reads the symbol catalog (names, symbols with bars) from ClickHouse again. */
  symbolsRefreshMs: positiveInt("SYMBOLS_REFRESH_MS", 180_000),
  /**
   * /health checks that bars are fresh in trading hours, when the feed follows the exchange clock. Off for a
   * feed that replays past days through `up --no-simulator` (a backfill, a test rig).
   */
  healthFreshness: Config.Boolean("HEALTH_FRESHNESS").pipe(Config.withDefault(true)),

  /** A bar closes this long after its end on the exchange clock; later ticks revise it. */
  barGraceMs: positiveInt("BAR_GRACE_MS", 3_000),

  simSymbols: positiveInt("SIM_SYMBOLS", 5_000),
  simSeed: positiveInt("SIM_SEED", 1),
  /**
   * Market seconds per wall second, `max`, or `auto`: real time while the market is open, otherwise the last
   * trading day at 60x so the system shows bars at once.
   */
  simSpeed: Config.schema(SpeedSchema, "SIM_SPEED").pipe(
    Config.withDefault("auto" as number | "max" | "auto"),
  ),
  /** The simulated day `YYYY-MM-DD`; unset: today when the market is open, else the last weekday. */
  simDay: Config.option(Config.String("SIM_DAY")),
  /** Market time `HH:MM[:SS]` the simulated SIM_DAY starts at (default 09:15). */
  simFrom: Config.option(
    Config.schema(
      Schema.String.pipe(
        Schema.check(Schema.isPattern(/^\d{2}:\d{2}(:\d{2})?$/, { message: "expected HH:MM or HH:MM:SS" })),
      ),
      "SIM_FROM",
    ),
  ),

  /** The QMT adapter (Windows): Python with xtquant, its bridge script (default: the adapter's bridge.py). */
  qmtPython: Config.String("QMT_PYTHON").pipe(
    Config.withDefault(process.platform === "win32" ? "python" : "python3"),
  ),
  qmtBridge: Config.option(Config.String("QMT_BRIDGE")),
  /** No tick for this long during trading hours: the bridge is killed and restarted. */
  qmtStallMs: positiveInt("QMT_STALL_MS", 60_000),
  /** Also subscribe to Beijing Stock Exchange symbols. */
  qmtIncludeBj: Config.Boolean("QMT_INCLUDE_BJ").pipe(Config.withDefault(false)),
  /** The adapter's state, outbox and dead letters; unset: `$DATA_DIR/adapter`. */
  adapterStateDir: Config.option(Config.String("ADAPTER_STATE_DIR")),
  /** How often the adapter prints its status line (ticks, bars, backlog, Redis, memory); also at every stop. */
  adapterStatusEveryMs: positiveInt("ADAPTER_STATUS_EVERY_MS", 60_000),

  relayGroup: Config.String("RELAY_GROUP").pipe(Config.withDefault("relay")),
  relayConsumer: Config.String("RELAY_CONSUMER").pipe(Config.withDefault(`relay-${hostname()}`)),
  relayBatch: positiveInt("RELAY_BATCH", 1_000),
  /** Batches published and awaiting their PubAcks at once, while the next is read. */
  relayInFlight: positiveInt("RELAY_IN_FLIGHT", 4),
  /** Entries another relay left unacked this long are taken over (that relay died). */
  relayClaimIdleMs: positiveInt("RELAY_CLAIM_IDLE_MS", 30_000),

  /** A catch-up batch spans minutes of the market: each symbol's 5m/30m/1d rows are written once per batch. */
  projectionBatch: positiveInt("PROJECTION_BATCH", 50_000),
  /** A live batch is written once a minute's burst is over (no message for QUIET_MS), at the latest FLUSH_MS after it began. */
  projectionFlushMs: positiveInt("PROJECTION_FLUSH_MS", 500),
  projectionQuietMs: positiveInt("PROJECTION_QUIET_MS", 30),
  /** Messages a dead projection held are redelivered after this long: above the slowest batch write. */
  projectionAckWaitMs: positiveInt("PROJECTION_ACK_WAIT_MS", 30_000),
  /**
   * The exchanges this projection writes, e.g. SH or SZ,BJ: one process per group, on durable consumers of
   * their own (projection-SH, projection-SH-ref, ...). Empty: the whole market, on the durable `projection`.
   */
  projectionExchanges: Config.schema(ExchangeList, "PROJECTION_EXCHANGES").pipe(Config.withDefault("")),
})

export type Settings = Config.Success<typeof Settings>

export type { Option, Redacted }
