/**
 * The package installs like one: `npm pack`, then a fresh project installs the tarball and uses it
 * from plain Node 20 — the library with its types, and the `coffre` command — without tsx.
 * Slow (native addons are compiled for the new project), so it runs once for the whole suite.
 */
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { after, before, describe, test } from 'node:test'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TYPES_NODE = (await import('../../node_modules/@types/node/package.json', { with: { type: 'json' } })).default.version

describe('npm pack → npm install in a fresh project', () => {
  let dir: string
  const inProject = (file: string, args: string[], env: Record<string, string> = {}) =>
    run(file, args, { cwd: dir, env: { ...process.env, ...env, NODE_OPTIONS: '' }, maxBuffer: 16 * 1024 * 1024 })

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coffre-package-'))
    await run('npm', ['pack', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))
    assert.ok(tarball, 'npm pack made no tarball')
    copyFileSync(join(ROOT, '.npmrc'), join(dir, '.npmrc'))
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
    await inProject('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `./${tarball}`, `@types/node@${TYPES_NODE}`, 'typescript@5.9.3'])
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  test('ships the built library, the CLI bundle, the licence and no sources or tsx', () => {
    const pkg = join(dir, 'node_modules', 'coffre')
    for (const file of ['dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/cli.js', 'dist/walletWorker.js', 'bin/coffre.js', 'LICENSE', 'README.md']) {
      assert.ok(existsSync(join(pkg, file)), `${file} is missing from the package`)
    }
    assert.equal(existsSync(join(pkg, 'src')), false, 'the TypeScript sources are not shipped')
    assert.equal(existsSync(join(dir, 'node_modules', 'tsx')), false, 'tsx is not a runtime dependency')
  })

  test('plain Node imports the library and creates users on SQLite, one and in bulk (worker threads)', async () => {
    writeFileSync(
      join(dir, 'use.mjs'),
      `import { openVault, isCoffreError } from 'coffre'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
const vault = await openVault({ store: { kind: 'sqlite', dataDir: mkdtempSync('${join(dir, 'vault-')}') }, rootKey: { kind: 'local', masterKey: new Uint8Array(randomBytes(32)) }, mnemonicWords: 12 })
const user = await vault.users.create({ telegramUserId: 42, username: 'alice' })
// Bulk creation runs the wallet worker threads from the compiled package.
const bulk = await vault.users.ensureMany(Array.from({ length: 200 }, (_, i) => ({ telegramUserId: 1000 + i })))
process.stdout.write(JSON.stringify({ polygon: user.polygonAddress, solana: user.solanaAddress, typed: typeof isCoffreError, bulk: bulk.length }))
await vault.close()
`,
    )
    const { stdout } = await inProject(process.execPath, ['use.mjs'])
    const out = JSON.parse(stdout)
    assert.match(out.polygon, /^0x[0-9a-fA-F]{40}$/)
    assert.match(out.solana, /^[1-9A-HJ-NP-Za-km-z]{32,44}$/)
    assert.equal(out.typed, 'function')
    assert.equal(out.bulk, 200)
  })

  test('TypeScript consumers get the declarations (tsc --noEmit, NodeNext)', async () => {
    writeFileSync(
      join(dir, 'use.ts'),
      `import { openVault, type User, type VaultConfig } from 'coffre'
import { createCoffreClient, type EnsuredUser, type PolymarketOrder } from 'coffre/client'
import { toCoffreAccount, type CoffreAccount } from 'coffre/viem'
import { createCoffreSolanaSigner } from 'coffre/solana'
const open: (config: VaultConfig) => Promise<unknown> = openVault
const user: User | null = null
// @ts-expect-error the declarations are real: a wrong argument type is an error
openVault(42)
const client = createCoffreClient({ baseUrl: 'http://127.0.0.1:8787', token: 'cfr_x' })
const created: Promise<EnsuredUser> = client.users.create({ telegramUserId: 1 })
const order: Promise<PolymarketOrder> = client.polymarket.orders.get('0x')
// @ts-expect-error the client is typed from the OpenAPI document: telegramUserId is a number
client.users.create({ telegramUserId: 'one' })
const account: Promise<CoffreAccount> = toCoffreAccount({ client, userId: 'u' })
const signer = createCoffreSolanaSigner({ client, userId: 'u' })
export { open, user, created, order, account, signer }
`,
    )
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, files: ['use.ts'] }))
    await inProject(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', '.'])
  })

  test('the client subpaths (coffre/client, coffre/viem, coffre/solana) work from plain Node against `coffre serve`', async () => {
    const data = mkdtempSync(join(dir, 'serve-'))
    await inProject('npx', ['--no-install', 'coffre', '--data-dir', data, 'init', '--json'])
    const { stdout: tokenJson } = await inProject('npx', ['--no-install', 'coffre', '--data-dir', data, 'tokens', 'create', '--policy', 'allow-all', '--scopes', 'users:read,users:write,sign', '--name', 'pkg', '--json'])
    const serve = spawn(join(dir, 'node_modules/.bin/coffre'), ['--data-dir', data, 'serve', '--port', '0', '--log-level', 'warn', '--no-scheduler'], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = new Promise((resolve) => serve.once('exit', resolve))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        const onData = (chunk: Buffer) => {
          out += chunk
          const match = /"listening":"(http:[^"]+)"/.exec(out)
          if (match) resolve(match[1]!)
        }
        serve.stdout.on('data', onData)
        serve.stderr.on('data', onData)
        serve.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)))
      })
      writeFileSync(
        join(dir, 'use-client.mjs'),
        `import { createCoffreClient, CoffreApiError, COFFRE_API_MAJOR } from 'coffre/client'
import { toCoffreAccount } from 'coffre/viem'
import { createCoffreSolanaSigner } from 'coffre/solana'
const [url, token] = process.argv.slice(2)
const coffre = createCoffreClient({ baseUrl: url, token })
const user = await coffre.users.create({ telegramUserId: 4242, username: 'pkg' })
const account = await toCoffreAccount({ client: coffre, userId: user.id })
const signature = await account.signMessage({ message: 'hello from the package' })
const signer = await createCoffreSolanaSigner({ client: coffre, userId: user.id })
const [solana] = await signer.signMessages([{ content: new Uint8Array([1, 2, 3]), signatures: {} }])
const missing = await coffre.users.get('00000000-0000-4000-8000-000000000000').catch((e) => e)
process.stdout.write(JSON.stringify({ created: user.created, address: account.address === user.polygonAddress, signature, solana: solana[signer.address].length, error: missing instanceof CoffreApiError ? missing.code : String(missing), major: COFFRE_API_MAJOR }))
`,
      )
      const { stdout } = await inProject(process.execPath, ['use-client.mjs', url, JSON.parse(tokenJson).token])
      const out = JSON.parse(stdout)
      assert.deepEqual([out.created, out.address, out.solana, out.error, out.major], [true, true, 64, 'COFFRE_NOT_FOUND', 1])
      assert.match(out.signature, /^0x[0-9a-f]{130}$/)
    } finally {
      serve.kill('SIGTERM')
      await exited
    }
  })

  test('npx coffre init and users create work from the installed package', async () => {
    const data = mkdtempSync(join(dir, 'data-'))
    await inProject('npx', ['--no-install', 'coffre', '--data-dir', data, 'init', '--json'])
    const { stdout } = await inProject('npx', ['--no-install', 'coffre', '--data-dir', data, 'users', 'create', '--telegram-id', '7', '--json'])
    const user = JSON.parse(stdout)
    assert.equal(user.telegramUserId, 7)
    assert.match(user.polygonAddress, /^0x[0-9a-fA-F]{40}$/)
  })
})
