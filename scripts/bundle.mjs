// The one esbuild configuration for Coffre's bundles: the CLI (scripts/build.mjs) and the library
// scripts the crash matrix runs as child processes (test/faults). The wallet worker is bundled next
// to every entry, where walletWorkerPool.ts looks for it (`./walletWorker.js`).
import { build } from 'esbuild'

/** Bundles `entryPoints` (name → source) plus the wallet worker into `outdir`. */
export async function bundle(entryPoints, outdir) {
  await build({
    entryPoints: { ...entryPoints, walletWorker: 'src/wallet/walletWorker.ts' },
    outdir,
    outExtension: { '.js': '.js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: false,
    // Modules reached only through a dynamic import (key providers: pkcs11js, the AWS SDK) go to
    // chunks that load when chosen, not at every start.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // Native addons and packages that read their own files at run time stay external.
    external: ['better-sqlite3', 'secp256k1', 'pkcs11js', 'pg-native', '@aws-sdk/*', '@fastify/swagger-ui', '@fastify/swagger', 'pino', 'thread-stream', 'playwright-core', 'piscina'],
    banner: { js: "import { createRequire as __coffreCreateRequire } from 'node:module'; const require = __coffreCreateRequire(import.meta.url);" },
    logLevel: 'warning',
    absWorkingDir: new URL('..', import.meta.url).pathname,
  })
}
