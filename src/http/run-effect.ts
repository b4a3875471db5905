/** How HTTP handlers run Effect programs: one runtime for the server's life, with the services it needs. */
import type { Effect } from "effect"

export type RunEffect<R> = <A, E>(effect: Effect.Effect<A, E, R>) => Promise<A>
