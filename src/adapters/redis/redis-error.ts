/** The one error a Redis call fails with; `cause` keeps the client's error for logs (URLs are never in it). */
import { Schema } from "effect"

export class RedisError extends Schema.TaggedError<RedisError>()("RedisError", {
  operation: Schema.String,
  cause: Schema.Defect(),
}) {
  override get message(): string {
    return `redis ${this.operation} failed: ${String((this.cause as Error | undefined)?.message ?? this.cause)}`
  }
}
