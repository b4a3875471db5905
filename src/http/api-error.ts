/** The API's one error shape, `{ error: { code, message, param? } }`, and query decoding that produces it. */

import { Result, Schema } from "effect"
import type { Context } from "hono"

export interface ApiError {
  readonly status: 400 | 401 | 404 | 500 | 503
  readonly code: string
  readonly message: string
  readonly param?: string
}

export const errorResponse = (c: Context, e: ApiError) =>
  c.json(
    { error: { code: e.code, message: e.message, ...(e.param === undefined ? {} : { param: e.param }) } },
    e.status,
  )

/** Decodes query parameters with a Schema struct; the first failure names its parameter. */
export const decodeQuery = <S extends Schema.Top & { readonly Type: object }>(
  schema: S,
  query: Record<string, string>,
): Result.Result<S["Type"], ApiError> => {
  const decoded = Schema.decodeUnknownResult(schema as unknown as Schema.Codec<S["Type"], unknown>)(query)
  if (Result.isSuccess(decoded)) return Result.succeed(decoded.success)
  const text = decoded.failure.message
  const param = /at \["([^"]+)"\]/.exec(text)?.[1]
  const reason = text.split("\n")[0] ?? "invalid"
  return Result.fail({
    status: 400,
    code: "bad_parameter",
    message: param === undefined ? reason : `${param}: ${reason}`,
    ...(param === undefined ? {} : { param }),
  })
}
