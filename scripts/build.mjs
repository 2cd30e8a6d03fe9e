// Builds what the package ships, into dist/:
// - dist/lib: the library (`import { openVault } from 'coffre'`), compiled by tsc with its .d.ts
//   files, one module per source file so key providers and heavy modules still load lazily;
// - dist/cli.js and dist/walletWorker.js: the CLI and the wallet worker bundled by esbuild (scripts/bundle.mjs), so
//   `coffre` starts in a fraction of the time loading hundreds of modules takes.
// Run by `npm ci` (prepare), `npm pack` and scripts/test.sh; bin/coffre.js falls back to tsx in a
// source checkout whose dist/ is missing or older than src/.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bundle } from './bundle.mjs'

rmSync('dist', { recursive: true, force: true })

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
// tsc rewrites `./x.ts` to `./x.js` in the JavaScript it emits but not in declaration files.
for (const file of walk('dist/lib')) {
  if (!file.endsWith('.d.ts')) continue
  const text = readFileSync(file, 'utf8')
  const fixed = text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2')
  if (fixed !== text) writeFileSync(file, fixed)
}

await bundle({ cli: 'src/cli/index.ts' }, 'dist')

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* walk(path)
    else yield path
  }
}
