/**
 * A JetStream consumer's messages as a stream, taken by callback and handed on in arrays of what has arrived.
 * The consumer's async iterator costs a promise and a stream step per message, which showed as ~10% of the
 * projection's thread while it caught up with a day. Buffering is what it was with the iterator: nats.js pulls
 * again as messages arrive, not as they are taken, so a durable's max_ack_pending is what bounds it.
 */
import type { ConsumerMessages, JsMsg } from "@nats-io/jetstream"
import { Cause, Effect, Queue, Stream } from "effect"
import { NatsError } from "./nats-error.ts"

export const consumedMessages = (
  operation: string,
  start: (callback: (m: JsMsg) => void) => Promise<ConsumerMessages>,
): Stream.Stream<JsMsg, NatsError> =>
  Stream.callback<JsMsg, NatsError>((queue) =>
    Effect.acquireRelease(
      Effect.tryPromise({
        try: () => start((m) => void Queue.offerUnsafe(queue, m)),
        catch: (cause) => new NatsError({ operation, cause }),
      }),
      (messages) => Effect.promise(() => messages.close().then(() => undefined)),
    ).pipe(
      // The consumer's end (closed, deleted, its connection gone) ends the stream, with its error if any.
      Effect.tap((messages) =>
        Effect.sync(() =>
          messages
            .closed()
            .then((err) =>
              err instanceof Error
                ? Queue.failCauseUnsafe(queue, Cause.fail(new NatsError({ operation, cause: err })))
                : Queue.endUnsafe(queue),
            ),
        ),
      ),
    ),
  )
