/** SDK: the named clients of the log with their progress, and removing one (it loses its position). */
import { Effect } from "effect"
import { type ClientInfo, listClients, removeClient } from "../adapters/nats/client-consumers.ts"
import { checkedName, type NatsTarget, natsLayer } from "./sdk-options.ts"

export type { ClientInfo }

export const clients = (target: NatsTarget): Promise<ClientInfo[]> =>
  Effect.runPromise(listClients().pipe(Effect.provide(natsLayer(target))))

/** Resolves false when there was no such client. */
export const deleteClient = (target: NatsTarget, name: string): Promise<boolean> =>
  Effect.runPromise(removeClient(checkedName(name)).pipe(Effect.provide(natsLayer(target))))
