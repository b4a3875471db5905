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
