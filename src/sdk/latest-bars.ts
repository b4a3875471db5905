/**
 * SDK: the latest 1m bar of every symbol (or of `symbols`) at once, sorted by symbol, so a new screen is
 * full before the next minute closes: `const bars = await latestBars("nats://127.0.0.1:14222")`.
 */
import { Effect } from "effect"
import { readLatestBars } from "../adapters/nats/latest-bars.ts"
import type { BarClosed } from "../domain/bar.ts"
import { checkedSymbols, natsLayer } from "./sdk-options.ts"

export const latestBars = (
  natsUrl: string,
  symbols?: ReadonlyArray<string>,
  options: { readonly stream?: string } = {},
): Promise<BarClosed[]> =>
  Effect.runPromise(
    readLatestBars(checkedSymbols(symbols)).pipe(
      Effect.provide(natsLayer({ natsUrl, ...options }, "minutebar-latest")),
    ),
  )
