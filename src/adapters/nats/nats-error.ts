/** The one error a NATS/JetStream call fails with. */
import { Schema } from "effect"

export class NatsError extends Schema.TaggedError<NatsError>()("NatsError", {
  operation: Schema.String,
  cause: Schema.Defect(),
}) {
  override get message(): string {
    return `nats ${this.operation} failed: ${String((this.cause as Error | undefined)?.message ?? this.cause)}`
  }
}
