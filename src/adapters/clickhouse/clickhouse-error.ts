/** The one error a ClickHouse call fails with. */
import { Schema } from "effect"

export class ClickHouseError extends Schema.TaggedError<ClickHouseError>()("ClickHouseError", {
  operation: Schema.String,
  cause: Schema.Defect(),
}) {
  override get message(): string {
    return `clickhouse ${this.operation} failed: ${String((this.cause as Error | undefined)?.message ?? this.cause)}`
  }
}

/**
 * Exception types by which ClickHouse refuses the rows themselves (a value, not the server's state): sending the
 * same rows again can never succeed. chDB and a server both name them in the error's `type`.
 */
const ROWS_REFUSED = new Set([
  "VIOLATED_CONSTRAINT",
  "TYPE_MISMATCH",
  "INCORRECT_DATA",
  "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE",
  "TOO_LARGE_STRING_SIZE",
  "CANNOT_CONVERT_TYPE",
  "CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN",
  "CANNOT_PARSE_TEXT",
  "CANNOT_PARSE_INPUT_ASSERTION_FAILED",
  "CANNOT_PARSE_NUMBER",
  "CANNOT_PARSE_DATE",
  "CANNOT_PARSE_DATETIME",
  "CANNOT_PARSE_QUOTED_STRING",
  "CANNOT_PARSE_ESCAPE_SEQUENCE",
])

export const rowsRefused = (e: ClickHouseError): boolean => {
  const type = (e.cause as { readonly type?: unknown } | undefined)?.type
  return typeof type === "string" && ROWS_REFUSED.has(type)
}
