#!/usr/bin/env node
// Launcher. An installed package runs the bundled CLI (dist/cli.js). In a source checkout it runs
// the bundle when it is at least as new as every source file, and the TypeScript sources through
// tsx (a dev dependency) otherwise — so an edited tree never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bundle = `${root}dist/cli.js`
const sources = `${root}src`

function newestSource(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs)
  }
  return newest
}

if (!existsSync(sources) || (existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource(sources))) {
  await import(bundle)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../src/cli/index.ts')
}
