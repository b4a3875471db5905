/** The API described in OpenAPI 3.1, written by hand next to the routes it describes; served at /api/openapi.json. */

const symbolParam = (name: string, description: string, required = true) => ({
  name,
  in: "query",
  required,
  description,
  schema: { type: "string", pattern: "^\\d{6}\\.(SH|SZ|BJ)$", examples: ["000001.SZ"] },
})

const symbolsParam = {
  name: "symbols",
  in: "query",
  required: true,
  description: "A comma list of 1..200 symbols",
  schema: { type: "string", examples: ["000001.SZ,600519.SH"] },
}

const error = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
})

const json = (description: string, schema: object) => ({
  description,
  content: { "application/json": { schema } },
})

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

const num = { type: "number" }
const nullableNum = { type: ["number", "null"] }
const str = { type: "string" }

const Bar = {
  type: "object",
  required: ["frame", "open", "high", "low", "close", "vol", "amount"],
  properties: {
    frame: {
      type: "string",
      description: "End of the bar, YYYY-MM-DD HH:MM:SS (YYYY-MM-DD for 1d), Shanghai",
    },
    open: num,
    high: num,
    low: num,
    close: num,
    vol: num,
    amount: num,
  },
}

const Quote = {
  type: "object",
  properties: {
    symbol: str,
    name: { type: ["string", "null"] },
    ...Bar.properties,
    rev: { type: "integer", description: "Revision of the bar: late ticks revise a closed bar" },
    dayVol: { ...num, description: "Volume of the bar's trading day so far" },
    preClose: nullableNum,
    change: nullableNum,
    changePct: nullableNum,
  },
}

const ErrorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", examples: ["bad_parameter", "unknown_symbol", "unauthorized", "not_found"] },
        message: str,
        param: { type: "string", description: "The query parameter that was wrong" },
      },
    },
  },
}

const common = {
  "400": error("A parameter is malformed; `param` names it"),
  "401": error("Missing or wrong token"),
}

const paths = {
  "/api/bars": {
    get: {
      summary: "Bars of one symbol from ClickHouse",
      parameters: [
        symbolParam("symbol", "The symbol"),
        { name: "period", in: "query", schema: { enum: ["1m", "5m", "30m", "1d"], default: "1m" } },
        { name: "start", in: "query", description: "YYYY-MM-DD[ HH:MM[:SS]] Shanghai", schema: str },
        {
          name: "end",
          in: "query",
          description: "YYYY-MM-DD[ HH:MM[:SS]]; a date alone is the whole day",
          schema: str,
        },
        { name: "adjust", in: "query", schema: { enum: ["none", "front", "back"], default: "none" } },
        { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100000 } },
      ],
      responses: {
        "200": json("The bars, oldest first", {
          type: "object",
          properties: { symbol: str, period: str, bars: { type: "array", items: ref("Bar") } },
        }),
        ...common,
        "404": error("Unknown symbol"),
      },
    },
  },
  "/api/latest": {
    get: {
      summary: "Each symbol's newest 1m bar with day volume and change, from memory (realtime)",
      parameters: [symbolsParam],
      responses: {
        "200": json("Quotes; symbols known but without bars yet; unknown symbols", {
          type: "object",
          properties: {
            quotes: { type: "array", items: ref("Quote") },
            noBars: { type: "array", items: str },
            unknown: { type: "array", items: str },
          },
        }),
        ...common,
        "404": error("No requested symbol is known"),
      },
    },
  },
  "/api/overview": {
    get: {
      summary: "The watch list (WATCHLIST): last price, change against the previous close, day volume",
      responses: {
        "200": json("One row per watched symbol, nulls where no bar came yet", {
          type: "object",
          properties: { rows: { type: "array", items: ref("OverviewRow") } },
        }),
        "401": common["401"],
      },
    },
  },
  "/api/symbols": {
    get: {
      summary: "Search symbols by code prefix or name",
      parameters: [
        {
          name: "q",
          in: "query",
          description: "Code prefix or part of the name",
          schema: { type: "string", maxLength: 40 },
        },
        { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 20 } },
      ],
      responses: {
        "200": json("Matches, best first", {
          type: "object",
          properties: {
            symbols: {
              type: "array",
              items: { type: "object", properties: { symbol: str, name: { type: ["string", "null"] } } },
            },
          },
        }),
        ...common,
      },
    },
  },
  "/api/stream": {
    get: {
      summary: "Server-Sent Events: `bar` events (a Quote as JSON) as bars arrive, `ping` heartbeats",
      description: "Browsers' EventSource cannot send headers: the token may be given as `?token=` here.",
      parameters: [symbolsParam, { name: "token", in: "query", schema: str }],
      responses: {
        "200": { description: "An event stream", content: { "text/event-stream": { schema: str } } },
        ...common,
        "404": error("No requested symbol is known"),
      },
    },
  },
  "/api/clients": {
    get: {
      summary: "Subscriber clients and their state",
      responses: { "200": { description: "Clients" }, "401": common["401"] },
    },
  },
  "/health": {
    get: {
      summary: "Redis, NATS, ClickHouse and data freshness in trading hours; no token needed",
      security: [],
      responses: {
        "200": { description: "All checks pass" },
        "503": { description: "A check failed; it is named" },
      },
    },
  },
  "/metrics": {
    get: {
      summary: "Prometheus text: events and events/s per stage, lag, consumer pending, dead letters",
      responses: {
        "200": { description: "Prometheus exposition format", content: { "text/plain": { schema: str } } },
        "401": common["401"],
      },
    },
  },
}

export const openapiDocument = {
  openapi: "3.1.0",
  info: {
    title: "minutebar",
    version: "0.1.0",
    description:
      "1-minute bars of the Chinese A-share market with 5m, 30m and daily bars, live and historical.",
  },
  paths,
  components: {
    schemas: {
      Bar,
      Quote,
      Error: ErrorSchema,
      OverviewRow: {
        type: "object",
        properties: {
          symbol: str,
          name: { type: ["string", "null"] },
          frame: { type: ["string", "null"] },
          last: nullableNum,
          change: nullableNum,
          changePct: nullableNum,
          dayVol: nullableNum,
        },
      },
    },
    securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "API_TOKEN, when it is set" } },
  },
  security: [{ bearer: [] }],
}
