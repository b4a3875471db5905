#!/usr/bin/env node
// Entry for `npx minutebar`: the CLI is TypeScript, run by Node's type stripping. It is imported only after
// the version check, which a static import would never reach on a Node that cannot load it.
import { unsupportedNode } from "./node-version.js"

const why = unsupportedNode(process.versions.node)
if (why !== undefined) {
  console.error(why)
  process.exit(1)
}
await import("../src/main.ts")
