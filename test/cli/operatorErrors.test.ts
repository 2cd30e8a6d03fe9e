/**
 * Careless-operator inputs get a typed error that names the real problem (never COFFRE_INTERNAL,
 * never a message about something else), and `init` works where it should.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { writeKeyFileDurably } from '../../src/keyProviders/keyFile.ts'
import { limitOrderAmounts } from '../../src/polymarket/orderAmounts.ts'
import { coffreInProcess } from '../support/cliInProcess.ts'
import { createTestStore, type TestStore } from '../support/engines.ts'

const noKeyEnv = { COFFRE_MASTER_KEY: undefined, DATABASE_URL: undefined }

describe('operator errors', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'coffre-operator-'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  test('a key file that is a directory: a clear typed error naming it, whatever its mode', async () => {
    for (const mode of [0o700, 0o755]) {
      const path = join(dir, `dir-${mode.toString(8)}.key`)
      mkdirSync(path, { mode })
      const result = await coffreInProcess(['--data-dir', join(dir, 'v1'), '--key-file', path, 'keys', 'list'], noKeyEnv)
      assert.equal(result.code, 1)
      assert.equal(result.stderr, `coffre: COFFRE_INVALID_CONFIG: root key file ${path} is a directory; a root key file is a regular file holding the 32-byte key\n`)
    }
  })

  test('an empty or 31-byte key file: a message about that key file, not about COFFRE_MASTER_KEY', async () => {
    for (const size of [0, 31, 33]) {
      const path = join(dir, `short-${size}.key`)
      writeFileSync(path, randomBytes(size), { mode: 0o600 })
      const result = await coffreInProcess(['--data-dir', join(dir, 'v2'), '--key-file', path, 'keys', 'list'], noKeyEnv)
      assert.equal(result.code, 1)
      assert.equal(result.stderr, `coffre: COFFRE_ROOT_KEY_INVALID: root key file ${path} holds ${size} bytes; it must hold exactly 32 raw bytes, or the base64 of 32 bytes\n`)
    }
    const base64 = join(dir, 'base64.key')
    writeFileSync(base64, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 })
    assert.equal((await coffreInProcess(['--data-dir', join(dir, 'v3'), '--key-file', base64, 'init'], noKeyEnv)).code, 0, 'the base64 form still works')
  })

  test('derive child --index takes canonical decimal only: 01 is refused, 0 and 1 are fine', async () => {
    const key = join(dir, 'parent.hex')
    writeFileSync(key, randomBytes(32).toString('hex'))
    for (const bad of ['01', '00', '+1', ' 1', '1.0', '0x1']) {
      const result = await coffreInProcess(['derive', 'child', '--index', bad, '--private-key-file', key], noKeyEnv)
      assert.equal(result.code, 1, bad)
      assert.match(result.stderr, /^coffre: COFFRE_INVALID_INPUT: --index must be a non-negative integer in canonical decimal/)
    }
    const one = await coffreInProcess(['derive', 'child', '--index', '1', '--private-key-file', key, '--json'], noKeyEnv)
    const zero = await coffreInProcess(['derive', 'child', '--index', '0', '--private-key-file', key, '--json'], noKeyEnv)
    assert.equal(one.code, 0, one.stderr)
    assert.equal(zero.code, 0, zero.stderr)
    assert.notEqual(one.json.privateKey, zero.json.privateKey)
  })

  test('polymarket order post --size 0.0000001: an input error, not COFFRE_INTERNAL', async () => {
    const env = { ...noKeyEnv, COFFRE_MASTER_KEY: randomBytes(32).toString('base64') }
    const vault = ['--data-dir', join(dir, 'v4')]
    assert.equal((await coffreInProcess([...vault, 'users', 'create', '--telegram-id', '5'], env)).code, 0)
    for (const size of ['0.0000001', '0.001']) {
      const result = await coffreInProcess([...vault, 'polymarket', 'order', 'post', '--telegram-id', '5', '--token-id', '1', '--side', 'BUY', '--price', '0.5', '--size', size, '--tick-size', '0.01', '--clob-url', 'http://127.0.0.1:9'], env)
      assert.equal(result.code, 1, size)
      assert.match(result.stderr, /^coffre: COFFRE_INVALID_INPUT: /, `${size}: ${result.stderr}`)
    }
    assert.throws(() => limitOrderAmounts({ side: 'SELL', price: 0.5, size: 1e-7, tickSize: '0.01' }), { code: 'COFFRE_INVALID_INPUT' })
    assert.throws(() => limitOrderAmounts({ side: 'BUY', price: 0.5, size: 1e21, tickSize: '0.01' }), { code: 'COFFRE_INVALID_INPUT' })
  })
})

test('a key file is written whole (0600, fsynced, through a temporary name) and never replaced', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffre-keyfile-'))
  try {
    const path = join(dir, 'sub', 'root.key')
    const key = new Uint8Array(randomBytes(32))
    writeKeyFileDurably(path, key)
    assert.deepEqual(new Uint8Array(readFileSync(path)), key)
    assert.equal(statSync(path).mode & 0o777, 0o600)
    assert.throws(() => writeKeyFileDurably(path, new Uint8Array(randomBytes(32))), { code: 'EEXIST' })
    assert.deepEqual(new Uint8Array(readFileSync(path)), key, 'the first key is untouched')
    assert.deepEqual(readdirSync(join(dir, 'sub')), ['root.key'], 'no temporary file is left behind')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

describe('init with --database-url', () => {
  let store: TestStore
  before(async () => {
    store = await createTestStore('postgres')
  })
  after(async () => store.cleanup())

  test('works when the data directory does not exist yet: it is made (0700) for the key file (0600)', async () => {
    const dataDir = join(store.dir, 'not', 'yet')
    const result = await coffreInProcess(['--database-url', (store.config as { url: string }).url, '--data-dir', dataDir, 'init', '--json'], noKeyEnv)
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.createdKeyFile, true)
    assert.equal(statSync(join(dataDir, 'root.key')).mode & 0o777, 0o600)
    assert.equal(statSync(dataDir).mode & 0o777, 0o700)
  })
})
