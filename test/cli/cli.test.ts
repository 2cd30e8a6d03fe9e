import assert from 'node:assert/strict'
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { privateKeyToAccount } from 'viem/accounts'
import { Keypair } from '@solana/web3.js'
import { runCoffre } from '../support/cli.ts'
import { createTestStore, ENGINES, type TestStore } from '../support/engines.ts'

const KNOWN_MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about'
const KNOWN_POLYGON = '0x9858EfFD232B4033E47d90003D41EC34EcaEda94'

for (const engine of ENGINES) describe(`coffre CLI on ${engine}`, () => {
  let store: TestStore
  let dir: string
  let storeArgs: string[]
  let coffre: (args: string[], stdin?: string) => ReturnType<typeof runCoffre>
  const file = (name: string, content: string) => {
    const path = join(dir, name)
    writeFileSync(path, content)
    return path
  }

  before(async () => {
    store = await createTestStore(engine)
    dir = store.dir
    storeArgs = ['--data-dir', join(dir, 'vault'), ...(store.config.kind === 'postgres' ? ['--database-url', store.config.url] : [])]
    coffre = (args, stdin) => runCoffre([...storeArgs, ...args], { env: { COFFRE_MASTER_KEY: undefined, DATABASE_URL: undefined }, ...(stdin === undefined ? {} : { stdin }) })
  })
  after(async () => store?.cleanup())

  test('commands other than init refuse to open a vault without its root key', async () => {
    const result = await coffre(['users', 'list', '--json'])
    assert.equal(result.code, 1)
    assert.match(result.stderr, /COFFRE_ROOT_KEY_MISSING/)
  })

  test('init creates a 0600 root key file and is idempotent', async () => {
    const first = await coffre(['init', '--json'])
    assert.equal(first.code, 0, first.stderr)
    assert.equal(first.json.createdKeyFile, true)
    assert.equal(statSync(join(dir, 'vault', 'root.key')).mode & 0o777, 0o600)
    assert.equal(statSync(join(dir, 'vault', 'root.key')).size, 32)
    const second = await coffre(['init', '--json'])
    assert.equal(second.code, 0)
    assert.equal(second.json.createdKeyFile, false)
    assert.equal(second.json.activeDataKeyId, first.json.activeDataKeyId)
  })

  test('users create / show / list print the documented JSON fields', async () => {
    const created = await coffre(['users', 'create', '--telegram-id', '12345', '--username', 'bob', '--json'])
    assert.equal(created.code, 0, created.stderr)
    for (const field of ['id', 'telegramUserId', 'username', 'polygonAddress', 'solanaAddress']) assert.ok(field in created.json, field)
    assert.equal(created.json.telegramUserId, 12345)
    const shown = await coffre(['users', 'show', '--telegram-id', '12345', '--json'])
    assert.deepEqual({ ...shown.json }, (({ created: _c, ...rest }) => rest)(created.json))
    const listed = await coffre(['users', 'list', '--json'])
    assert.equal(listed.json.users.length, 1)
  })

  test('import a mnemonic from stdin gives the MetaMask address; export returns it (with --yes only)', async () => {
    const imported = await coffre(['users', 'import', '--telegram-id', '777', '--mnemonic-file', '-', '--json'], `${KNOWN_MNEMONIC}\n`)
    assert.equal(imported.code, 0, imported.stderr)
    assert.equal(imported.json.polygonAddress, KNOWN_POLYGON)
    const refused = await coffre(['users', 'export', '--telegram-id', '777', '--json'])
    assert.notEqual(refused.code, 0)
    assert.equal(refused.stdout, '')
    const exported = await coffre(['users', 'export', '--telegram-id', '777', '--yes', '--json'])
    assert.equal(exported.code, 0)
    assert.equal(exported.json.mnemonic, KNOWN_MNEMONIC)
    assert.equal(privateKeyToAccount(exported.json.polygonPrivateKey).address, KNOWN_POLYGON)
    assert.match(exported.json.solanaSecretKey, /^[1-9A-HJ-NP-Za-km-z]{80,90}$/)
  })

  test('import of bare keys checks the supplied address and writes nothing on mismatch', async () => {
    const key = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318'
    const address = privateKeyToAccount(key).address
    const source = await coffre(['users', 'export', '--telegram-id', '12345', '--yes', '--json'])
    const taken = await coffre(['users', 'import', '--telegram-id', '889', '--polygon-key-file', file('k0', key), '--solana-key-file', file('taken.txt', source.json.solanaSecretKey), '--json'])
    assert.equal(taken.code, 1)
    assert.match(taken.stderr, /COFFRE_CONFLICT/, 'a wallet that belongs to another user is refused')
    // The Solana CLI's JSON array form, from an independent implementation.
    const solanaFile = file('sol.json', JSON.stringify([...Keypair.generate().secretKey]))
    const mismatch = await coffre(['users', 'import', '--telegram-id', '888', '--polygon-key-file', file('k1', key.slice(2).toUpperCase()), '--solana-key-file', solanaFile, '--polygon-address', KNOWN_POLYGON, '--json'])
    assert.equal(mismatch.code, 1)
    assert.match(mismatch.stderr, /COFFRE_ADDRESS_MISMATCH/)
    assert.equal((await coffre(['users', 'show', '--telegram-id', '888', '--json'])).code, 1)
    const ok = await coffre(['users', 'import', '--telegram-id', '888', '--polygon-key-file', file('k2', key), '--solana-key-file', solanaFile, '--polygon-address', address.toLowerCase(), '--json'])
    assert.equal(ok.code, 0, ok.stderr)
    assert.equal(ok.json.polygonAddress, address)
    const exported = await coffre(['users', 'export', '--telegram-id', '888', '--yes', '--json'])
    assert.equal(exported.json.mnemonic, null)
    assert.equal(exported.json.polygonPrivateKey, key)
  })

  test('sign message: EIP-191 for polygon equals viem; ed25519 base58 for solana', async () => {
    const messageFile = file('msg.txt', 'hello coffre')
    const signed = await coffre(['sign', 'message', '--telegram-id', '777', '--chain', 'polygon', '--message-file', messageFile, '--json'])
    assert.equal(signed.code, 0, signed.stderr)
    const exported = await coffre(['users', 'export', '--telegram-id', '777', '--yes', '--json'])
    assert.equal(signed.json.signature, await privateKeyToAccount(exported.json.polygonPrivateKey).signMessage({ message: 'hello coffre' }))
    const sol = await coffre(['sign', 'message', '--telegram-id', '777', '--chain', 'solana', '--message-file', messageFile, '--json'])
    assert.equal(sol.code, 0, sol.stderr)
    assert.match(sol.json.signature, /^[1-9A-HJ-NP-Za-km-z]{80,90}$/)
  })

  test('audit verify and doctor pass on a healthy vault', async () => {
    const audit = await coffre(['audit', 'verify', '--json'])
    assert.equal(audit.code, 0)
    assert.equal(audit.json.ok, true)
    assert.ok(audit.json.entries >= 5)
    const doctor = await coffre(['doctor', '--json'])
    assert.equal(doctor.code, 0, doctor.stdout)
    assert.equal(doctor.json.ok, true)
    const names = doctor.json.checks.map((c: { name: string }) => c.name)
    for (const name of ['database', 'migrations', 'root-key', 'secrets', 'audit-chain']) assert.ok(names.includes(name), name)
    assert.ok(doctor.json.checks.every((c: { ok: boolean }) => c.ok))
  })

  test('bad inputs: typed one-line errors and non-zero exits, nothing written', async () => {
    const before = (await coffre(['users', 'list', '--json'])).json.users.length
    const cases: [string[], RegExp, string?][] = [
      [['users', 'create', '--telegram-id', 'abc'], /COFFRE_INVALID_INPUT/],
      [['users', 'create', '--telegram-id', '-5'], /COFFRE_INVALID_INPUT/],
      [['users', 'show', '--telegram-id', '424242'], /COFFRE_NOT_FOUND/],
      [['users', 'show'], /COFFRE_INVALID_INPUT/],
      [['users', 'import', '--telegram-id', '9', '--mnemonic-file', '-'], /COFFRE_INVALID_INPUT/, 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon'],
      [['users', 'import', '--telegram-id', '9', '--mnemonic-file', '-'], /COFFRE_INVALID_INPUT/, 'not a mnemonic at all'],
      [['users', 'import', '--telegram-id', '9', '--polygon-key-file', '-', '--solana-key-file', '/nonexistent'], /COFFRE_INVALID_INPUT/, 'zz'],
      [['users', 'import', '--telegram-id', '9', '--polygon-key-file', '-', '--solana-key-file', '/dev/null'], /COFFRE_INVALID_INPUT/, '1234'],
      [['users', 'import', '--telegram-id', '9', '--polygon-key-file', '-', '--solana-key-file', '/dev/null'], /COFFRE_INVALID_INPUT/, `0x${'0'.repeat(64)}`],
      [['users', 'import', '--telegram-id', '9', '--polygon-key-file', '-', '--solana-key-file', '/dev/null'], /COFFRE_INVALID_INPUT/, `0x${'f'.repeat(64)}`],
      [['users', 'list', '--limit', '0'], /COFFRE_INVALID_INPUT/],
      [['users', 'list', '--cursor', '%%%'], /COFFRE_INVALID_INPUT/],
      [['sign', 'message', '--telegram-id', '777', '--chain', 'bitcoin', '--message-file', '/dev/null'], /COFFRE_INVALID_INPUT/],
      [['sign', 'message', '--telegram-id', '777', '--chain', 'polygon', '--message-file', '/nonexistent'], /COFFRE_INVALID_INPUT/],
      [['sign', 'typed-data', '--telegram-id', '777', '--file', '-'], /COFFRE_INVALID_INPUT/, '{not json'],
      [['sign', 'typed-data', '--telegram-id', '777', '--file', '-'], /COFFRE_(INVALID_INPUT|SIGNING_FAILED)/, '{"domain":{},"types":{},"primaryType":"Nope","message":{}}'],
      [['sign', 'evm-tx', '--telegram-id', '777', '--file', '-'], /COFFRE_(INVALID_INPUT|SIGNING_FAILED)/, '{"chainId":"x"}'],
      [['sign', 'solana-tx', '--telegram-id', '777', '--file', '-'], /COFFRE_(INVALID_INPUT|SIGNING_FAILED)/, 'AAAA'],
      [['users', 'create', '--telegram-id', '5', '--key-provider', 'nope'], /COFFRE_INVALID_CONFIG/],
    ]
    for (const [args, expected, stdin] of cases) {
      const result = await coffre([...args, '--json'], stdin)
      assert.notEqual(result.code, 0, `${args.join(' ')} should fail`)
      assert.match(result.stderr, expected, `${args.join(' ')}: ${result.stderr}`)
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line')
      assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, 'no stack trace')
    }
    const unknown = await coffre(['frobnicate'])
    assert.notEqual(unknown.code, 0)
    assert.equal((await coffre(['users', 'list', '--json'])).json.users.length, before)
  })

  test('a wrong root key refuses to open, with a clear error', async () => {
    const wrong = await runCoffre([...storeArgs, 'users', 'list', '--json'], { env: { COFFRE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'), DATABASE_URL: undefined } })
    assert.equal(wrong.code, 1)
    assert.match(wrong.stderr, /COFFRE_ROOT_KEY_INVALID/)
    const loose = file('loose.key', 'x'.repeat(32))
    const perms = await coffre(['--key-file', loose, 'users', 'list'])
    assert.match(perms.stderr, /chmod 600/)
  })
})
