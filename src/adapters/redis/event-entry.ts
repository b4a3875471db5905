/** Parses a Redis Stream entry into a market event, or says why it cannot be one. */
import { Result } from "effect"
import { decodeBarClosedJson } from "../../domain/bar-closed-fast.ts"
import { decodeReferenceJson } from "../../domain/instrument-reference.ts"
import {
  barMessageId,
  barSubject,
  type LogFact,
  referenceMessageId,
  referenceSubject,
} from "../../domain/market-event.ts"
import type { StreamEntry } from "./event-stream.ts"

export interface RoutedEvent {
  readonly subject: string
  readonly id: string
  readonly json: string
  /** The event the JSON decoded to (validated). */
  readonly event: LogFact
}

export const routeEntry = (entry: StreamEntry): Result.Result<RoutedEvent, string> => {
  const { type, data } = entry.fields
  if (data === undefined) return Result.fail("entry has no `data` field")
  switch (type) {
    case "bar": {
      const bar = decodeBarClosedJson(data)
      if (Result.isFailure(bar)) return Result.fail(`bad bar: ${bar.failure.message.replaceAll("\n", " ")}`)
      return Result.succeed({
        subject: barSubject(bar.success),
        id: barMessageId(bar.success),
        json: data,
        event: { _tag: "Bar", bar: bar.success },
      })
    }
    case "ref": {
      const ref = decodeReferenceJson(data)
      if (Result.isFailure(ref))
        return Result.fail(`bad reference data: ${ref.failure.message.replaceAll("\n", " ")}`)
      return Result.succeed({
        subject: referenceSubject(ref.success),
        id: referenceMessageId(ref.success),
        json: data,
        event: { _tag: "Ref", ref: ref.success },
      })
    }
    default:
      return Result.fail(`unknown event type ${JSON.stringify(type ?? null).slice(0, 40)}`)
  }
}
