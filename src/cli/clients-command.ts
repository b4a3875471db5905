/**
 * `minutebar clients list [--json]` and `minutebar clients rm NAME`: the named clients of the log (durable
 * consumers `client-NAME`) with how far each has read, and removing one (it loses its position).
 */
import { Console, Effect } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { type ClientInfo, ClientName, listClients, removeClient } from "../adapters/nats/client-consumers.ts"
import { NatsClient, natsUrlOrEmbedded } from "../adapters/nats/nats-client.ts"
import { loadSettings } from "../config/config-provider.ts"

const withClient = <A, E>(program: Effect.Effect<A, E, NatsClient>) =>
  Effect.flatMap(loadSettings, (s) =>
    program.pipe(
      Effect.provide(
        NatsClient.layer({ url: natsUrlOrEmbedded(s), stream: s.natsStream, name: "minutebar-clients" }),
      ),
    ),
  )

const COLUMNS = ["NAME", "FILTER", "PENDING", "ACK_PENDING", "ACK_FLOOR", "WAITING", "LAST_ACTIVE"]

const table = (clients: ReadonlyArray<ClientInfo>): string => {
  const rows = clients.map((c) =>
    [c.name, c.filter, c.pending, c.ackPending, c.ackFloor, c.waiting, c.lastActive ?? "-"].map(String),
  )
  const widths = COLUMNS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  return [COLUMNS, ...rows]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")
}

const list = Command.make(
  "list",
  {
    json: Flag.Boolean("json").pipe(
      Flag.withDescription("One JSON object per client"),
      Flag.withDefault(false),
    ),
  },
  ({ json }) =>
    withClient(
      Effect.flatMap(listClients(), (clients) =>
        json
          ? Effect.forEach(clients, (c) => Console.log(JSON.stringify(c)), { discard: true })
          : Console.log(clients.length === 0 ? "no clients" : table(clients)),
      ),
    ),
).pipe(Command.withDescription("List the named clients: filter, bars pending, ack floor, last active"))

const rm = Command.make(
  "rm",
  {
    name: Argument.String("name").pipe(
      Argument.withSchema(ClientName),
      Argument.withDescription("Client name"),
    ),
  },
  ({ name }) =>
    withClient(
      Effect.flatMap(removeClient(name), (removed) =>
        removed ? Console.log(`removed client ${name}`) : Effect.fail(new Error(`no client named ${name}`)),
      ),
    ),
).pipe(Command.withDescription("Remove a named client; its next run starts afresh"))

export const clientsCommand = Command.make("clients").pipe(
  Command.withDescription("List or remove the named clients of the log (NATS_URL, NATS_STREAM)"),
  Command.withSubcommands([list, rm]),
)
