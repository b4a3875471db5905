/** Every setting minutebar reads (src/config/settings.ts is their one place), and Node's own CA setting. */
import { readFileSync } from "node:fs"

export const settingNames: ReadonlySet<string> = new Set([
  ...[...readFileSync("src/config/settings.ts", "utf8").matchAll(/"([A-Z][A-Z0-9_]+)"/g)].map((m) => m[1]!),
  "NODE_EXTRA_CA_CERTS",
])
