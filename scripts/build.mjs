// Bundles the CLI (and the wallet worker) into dist/ with esbuild, so `coffre` starts in a fraction
// of the time loading hundreds of ESM files through tsx takes. Run by `npm ci` (prepare) and by
// scripts/test.sh; bin/coffre.js falls back to tsx when dist/ is missing or older than src/.
import { build } from 'esbuild'

await build({
  entryPoints: { cli: 'src/cli/index.ts', walletWorker: 'src/wallet/walletWorker.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.js' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  // Native addons and packages that read their own files at run time stay external.
  external: ['better-sqlite3', 'secp256k1', 'pkcs11js', 'pg-native', '@aws-sdk/*', '@fastify/swagger-ui', '@fastify/swagger', 'pino', 'thread-stream', 'playwright-core'],
  banner: { js: "import { createRequire as __coffreCreateRequire } from 'node:module'; const require = __coffreCreateRequire(import.meta.url);" },
  logLevel: 'warning',
})
