/** Settings come from the environment first, then the JSON config file (MINUTEBAR_CONFIG, else ./minutebar.json). */
import { existsSync, readFileSync } from "node:fs"
import { ConfigProvider, Effect } from "effect"
import { Settings } from "./settings.ts"

export const configFilePath = (): string => process.env.MINUTEBAR_CONFIG ?? "minutebar.json"

const fileProvider = (path: string): ConfigProvider.ConfigProvider => {
  if (!existsSync(path)) {
    if (process.env.MINUTEBAR_CONFIG !== undefined)
      throw new Error(`config file ${path} (MINUTEBAR_CONFIG) does not exist`)
    return ConfigProvider.fromUnknown({})
  }
  try {
    return ConfigProvider.fromUnknown(JSON.parse(readFileSync(path, "utf8")))
  } catch (e) {
    throw new Error(`config file ${path} is not valid JSON: ${(e as Error).message}`)
  }
}

export const makeConfigProvider = (
  env: Record<string, string | undefined> = process.env,
): ConfigProvider.ConfigProvider =>
  ConfigProvider.fromEnv({ env: env as Record<string, string> }).pipe(
    ConfigProvider.orElse(fileProvider(configFilePath())),
  )

/** `SchemaError(must be > 0\n  at ["SIM_SPEED"])` -> `invalid setting SIM_SPEED: must be > 0`. */
const describeConfigError = (text: string): string => {
  const key = /at \["([^"]+)"\]/.exec(text)?.[1]
  const reason = text
    .replace(/^.*?SchemaError\(/, "")
    .split("\n")[0]!
    .replace(/\)+$/, "")
    .trim()
  return key === undefined ? `invalid configuration: ${reason}` : `invalid setting ${key}: ${reason}`
}

export class InvalidSettings extends Error {
  override readonly name = "InvalidSettings"
}

/** Reads and validates every setting at start; the error names the bad setting and what is wrong with it. */
export const loadSettings = Effect.suspend(() =>
  Effect.gen(function* () {
    return yield* Settings
  }).pipe(
    Effect.provideService(ConfigProvider.ConfigProvider, makeConfigProvider()),
    Effect.mapError((e) => new InvalidSettings(describeConfigError(String(e.message ?? e)))),
  ),
)
