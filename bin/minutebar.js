#!/usr/bin/env node
// Entry for `npx minutebar`: the CLI is TypeScript, run by Node 22's type stripping.
import "../src/main.ts"
