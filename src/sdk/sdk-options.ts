/** What every SDK function shares: where NATS is, which stream is the log, and checked inputs. */
import { Redacted, Result, Schema } from "effect"
import { ClientName } from "../adapters/nats/client-consumers.ts"
import { NatsClient } from "../adapters/nats/nats-client.ts"
import type { SymbolCode } from "../domain/symbol.ts"
import { parseSymbolList } from "../pipelines/symbol-list.ts"

export interface NatsTarget {
  /** e.g. `nats://127.0.0.1:14222` (the server `minutebar up` starts by default). */
  readonly natsUrl: string
  /** The log stream; default `MARKET`. */
  readonly stream?: string
}

export const natsLayer = (t: NatsTarget, name = "minutebar-sdk") =>
  NatsClient.layer({ url: Redacted.make(t.natsUrl), stream: t.stream ?? "MARKET", name })

/** Checked symbols, or a thrown Error naming the bad one. */
export const checkedSymbols = (symbols: ReadonlyArray<string> | undefined): SymbolCode[] => {
  const parsed = parseSymbolList(symbols ?? [])
  if (Result.isFailure(parsed)) throw new Error(`symbols: ${parsed.failure}`)
  return parsed.success
}

const isClientName = Schema.is(ClientName)

export const checkedName = (name: string): string => {
  if (!isClientName(name))
    throw new Error(`name: ${JSON.stringify(name)} is not 1 to 64 letters, digits, _ or -`)
  return name
}
