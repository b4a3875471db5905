/**
 * The ClickHouse connection: embedded chDB on a local path by default, a ClickHouse server when a URL is
 * configured. Both go through @clickhouse/client, so every query is the same code on either.
 */
import { type ClickHouseClient, type ClickHouseClientConfigOptions, createClient } from "@clickhouse/client"
import { Context, Effect, Layer, Option, Redacted } from "effect"
import { ClickHouseError } from "./clickhouse-error.ts"

type Connection = NonNullable<ClickHouseClientConfigOptions["connection"]>

export type ClickHouseTarget =
  | { readonly _tag: "Embedded"; readonly path: string }
  | {
      readonly _tag: "Server"
      readonly url: string
      readonly username: string
      readonly password: Option.Option<Redacted.Redacted<string>>
      readonly database: string
    }

export const describeTarget = (t: ClickHouseTarget): string =>
  t._tag === "Embedded" ? `chDB at ${t.path}` : `ClickHouse server ${new URL(t.url).host}/${t.database}`

const SETTINGS = { output_format_json_quote_64bit_integers: 0 } as const
/**
 * Embedded, chDB's query threads share the CPU with the live path (source, relay, NATS, Redis, the latest-bar
 * view). A nice of 10 lets a minute's burst through those first; inserts and reads take the rest. A positive
 * nice needs no privilege. A server's threads are its own business.
 */
const settingsFor = (t: ClickHouseTarget) =>
  t._tag === "Embedded" ? { ...SETTINGS, os_thread_priority: "10" } : SETTINGS

export class ClickHouse extends Context.Service<
  ClickHouse,
  {
    readonly target: ClickHouseTarget
    ping: Effect.Effect<void, ClickHouseError>
    command(query: string): Effect.Effect<void, ClickHouseError>
    /**
     * Rows of one insert have the same keys; the first row's name the columns. They go as JSON arrays
     * (JSONCompactEachRow): without a key per value, encoding and parsing a batch of bars took ~1/3 less CPU
     * than JSONEachRow, and the projection ran ~15% faster (bench:projection).
     */
    insert(table: string, rows: ReadonlyArray<object>): Effect.Effect<void, ClickHouseError>
    query<A>(query: string, params?: Record<string, unknown>): Effect.Effect<A[], ClickHouseError>
    /** The whole response body of a query that names its own FORMAT (e.g. Native for bar reads). */
    queryBytes(query: string, params?: Record<string, unknown>): Effect.Effect<Uint8Array, ClickHouseError>
  }
>()("minutebar/clickhouse/ClickHouse") {
  static readonly layer = (target: ClickHouseTarget) => Layer.effect(ClickHouse, makeClickHouse(target))
}

// chDB is loaded only when it is used: its native library (~170 MB, no Windows build) must not ride along
// with commands that never open it, like the QMT adapter on Windows.
const open = async (t: ClickHouseTarget): Promise<ClickHouseClient> =>
  t._tag === "Embedded"
    ? // chdb's types come from a nested copy of client-common; the runtime object is the same shape.
      createClient({
        connection: (await import("chdb/connection")).createChdbConnection({
          path: t.path,
        }) as unknown as Connection,
      })
    : createClient({
        url: t.url,
        username: t.username,
        password: Option.match(t.password, { onNone: () => "", onSome: Redacted.value }),
        database: t.database,
        request_timeout: 60_000,
      })

const makeClickHouse = Effect.fnUntraced(function* (target: ClickHouseTarget) {
  const settings = settingsFor(target)
  const call = <A>(operation: string, f: () => Promise<A>) =>
    Effect.tryPromise({ try: f, catch: (cause) => new ClickHouseError({ operation, cause }) })
  const client = yield* Effect.acquireRelease(
    call("open", () => open(target)),
    (c) => Effect.promise(() => c.close()),
  )
  const ping = call("SELECT 1", () =>
    client.query({ query: "SELECT 1", format: "JSONEachRow" }).then((r) => r.json()),
  ).pipe(Effect.asVoid)
  yield* ping
  return ClickHouse.of({
    target,
    ping,
    command: (query) =>
      call("command", () => client.command({ query, clickhouse_settings: settings })).pipe(Effect.asVoid),
    insert: (table, rows) => {
      if (rows.length === 0) return Effect.void
      const columns = Object.keys(rows[0]!) as [string, ...string[]]
      return call(`insert ${table}`, () =>
        client.insert({
          table,
          columns,
          values: rows.map((row) => columns.map((c) => (row as Record<string, unknown>)[c])),
          format: "JSONCompactEachRow",
          clickhouse_settings: settings,
        }),
      ).pipe(Effect.asVoid)
    },
    query: <A>(query: string, params?: Record<string, unknown>) =>
      call("query", async () => {
        const rs = await client.query({
          query,
          format: "JSONEachRow",
          clickhouse_settings: settings,
          ...(params === undefined ? {} : { query_params: params }),
        })
        return rs.json<A>()
      }),
    queryBytes: (query, params) =>
      call("query", async () => {
        // exec hands back the body as is: chDB buffers it whole, a server's is streamed and decompressed here.
        const { stream } = await client.exec({
          query,
          clickhouse_settings: settings,
          ...(params === undefined ? {} : { query_params: params }),
        })
        const parts: Buffer[] = []
        for await (const part of stream) parts.push(part as Buffer)
        return Buffer.concat(parts)
      }),
  })
})
