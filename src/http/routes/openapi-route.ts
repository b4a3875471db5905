/** `GET /api/openapi.json`: the API's OpenAPI 3.1 description. */
import { Hono } from "hono"
import { openapiDocument } from "../openapi-document.ts"

export const openapiRoute = () => {
  const body = JSON.stringify(openapiDocument)
  return new Hono().get("/", (c) => c.body(body, 200, { "content-type": "application/json; charset=utf-8" }))
}
