// Keeps package-lock.json acceptable to `npm ci` on this registry: litesvm's native packages for
// other platforms are not published here, so `npm install` drops them from the lock and `npm ci`
// then refuses the lock as out of sync. This records each missing one as an optional entry for its
// platform (npm skips it without fetching). Run after any `npm install` that rewrites the lock.
import { readFileSync, writeFileSync } from 'node:fs'

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'))
const packages = lock.packages
let added = 0
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`
    if (packages[key] !== undefined || !name.startsWith('litesvm-')) continue
    const [, os, cpu, libc] = /^litesvm-(darwin|linux|win32)-(x64|arm64)(?:-(gnu|musl|msvc))?$/.exec(name) ?? []
    if (os === undefined) throw new Error(`unknown platform package ${name} (from ${path})`)
    packages[key] = {
      version,
      resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`,
      cpu: [cpu],
      dev: entry.dev === true,
      license: entry.license,
      optional: true,
      os: [os],
      ...(libc === 'gnu' ? { libc: ['glibc'] } : libc === 'musl' ? { libc: ['musl'] } : {}),
    }
    added++
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)))
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`)
console.log(`lock-platforms: ${added} entries added`)
