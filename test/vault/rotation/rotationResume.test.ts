/**
 * An interrupted data-key rotation is finished by whoever comes next — the CLI, the HTTP API or the
 * scheduler — on both engines. Real processes: ~2,000 users, `coffre keys rotate-data` killed with
 * SIGKILL once it has committed batches, then resumed. (On SQLite the resume used to wait for ever:
 * a re-encryption batch held the one connection in a transaction while the first decrypt under
 * the old key looked that key up outside it.)
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { Keyring } from '../../../src/vault/keyring/keyring.ts'
import { openLocalKeyProvider } from '../../../src/keyProviders/local.ts'
import { secretColumns } from '../../../src/store/secretColumns.ts'
import { openStore, type Store } from '../../../src/store/openStore.ts'
import { startScheduler } from '../../../src/vault/keyManagement/startScheduler.ts'
import { openVault } from '../../../src/vault/openVault.ts'
import { startServe } from '../../http/serveProcess.ts'
import { runCoffre } from '../../support/cli.ts'
import { ENGINES, createTestStore, type TestStore } from '../../support/engines.ts'
import { killDuringRun } from '../../support/killDuringRun.ts'
import { createDataKeyStore } from '../../../src/store/dataKeyStore.ts'

const USERS = 2_000
const HANG_MS = 120_000

for (const engine of ENGINES) {
  describe(`an interrupted data-key rotation resumes on ${engine}`, () => {
    let testStore: TestStore
    let probe: Store
    const rootKey = randomBytes(32)
    const env = { COFFRE_MASTER_KEY: rootKey.toString('base64') }
    let args: string[]
    let addresses: Map<number, string>

    const keyStates = async () => probe.db.selectFrom('data_keys').select(['id', 'state']).execute()
    /** kill -9 a `keys rotate-data` run after its first committed batches; a key is left draining. */
    const interrupt = async () => {
      const started = new Date().toISOString()
      const progressed = async () => (await probe.db.selectFrom('rotation_progress').select('done_rows').where('started_at', '>=', started).where('finished_at', 'is', null).where('done_rows', '>', 0).execute()).length > 0
      const run = await killDuringRun([...args, 'keys', 'rotate-data', '--batch-size', '40', '--workers', '2'], env, progressed, { maxExtraMs: 300 })
      assert.equal(run.killed, true, 'the rotation was killed before it finished')
      assert.equal((await keyStates()).filter((k) => k.state === 'decrypt-only').length, 1, 'a key is left half-drained')
    }
    /** Every secret names the one active key and decrypts at its place, nothing is draining, addresses are unchanged. */
    const assertFinished = async () => {
      const keys = await keyStates()
      const active = keys.filter((k) => k.state === 'active')
      assert.equal(active.length, 1)
      assert.deepEqual(keys.filter((k) => k.state === 'decrypt-only'), [])
      const keyring = await Keyring.open(createDataKeyStore(probe.db), openLocalKeyProvider({ key: new Uint8Array(rootKey) }))
      try {
        for (const column of secretColumns) {
          const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(column.table)}`.execute(probe.db)
          for (const row of rows) {
            const value = row[column.column]
            if (typeof value !== 'string') continue
            assert.ok(value.startsWith(`cf1.${active[0]!.id}.`), `${column.table}.${column.column} is under the active key`)
            ;(await keyring.decrypt(value, { table: column.table, column: column.column, row: column.rowIdentity(row) })).fill(0)
          }
        }
      } finally {
        await keyring.close()
      }
      const wallets = await probe.db.selectFrom('wallets').innerJoin('users', 'users.id', 'wallets.user_id').select(['users.telegram_user_id', 'wallets.address']).where('chain', '=', 'polygon').execute()
      assert.equal(wallets.length, USERS)
      for (const w of wallets) assert.equal(w.address, addresses.get(Number(w.telegram_user_id)))
    }

    before(async () => {
      testStore = await createTestStore(engine)
      args = engine === 'sqlite' ? ['--data-dir', testStore.dir] : ['--database-url', (testStore.config as { url: string }).url]
      const vault = await openVault({ store: testStore.config, rootKey: { kind: 'local', masterKey: new Uint8Array(rootKey) }, mnemonicWords: 12 })
      try {
        const created = await vault.users.ensureMany(Array.from({ length: USERS }, (_, i) => ({ telegramUserId: 70_000 + i })))
        addresses = new Map(created.map((c) => [c.user.telegramUserId, c.user.polygonAddress]))
      } finally {
        await vault.close()
      }
      probe = await openStore(testStore.config)
    })
    after(async () => {
      await probe?.close()
      await testStore?.cleanup()
    })

    test('from the CLI: `keys rotate-data` after kill -9 finishes the rotation', async () => {
      await interrupt()
      const resumed = await runCoffre([...args, 'keys', 'rotate-data', '--json'], { env, timeoutMs: HANG_MS })
      assert.equal(resumed.timedOut, undefined, 'the resumed rotation hung')
      assert.equal(resumed.code, 0, `exit ${resumed.code}: ${resumed.stderr}`)
      assert.equal(resumed.json.newDataKeyId, null, 'it resumed the interrupted rotation rather than starting another')
      assert.equal(resumed.json.retired.length, 1)
      await assertFinished()
    })

    test('from the API: POST /v1/keys/rotate-data finishes it, and the service keeps answering', async () => {
      await interrupt()
      const token = (await runCoffre([...args, 'tokens', 'create', '--policy', 'allow-all', '--scopes', 'admin', '--name', 'ops', '--json'], { env, timeoutMs: HANG_MS })).json.token as string
      const server = await startServe([...args, '--no-scheduler'], env)
      try {
        const headers = { authorization: `Bearer ${token}` }
        const call = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers, signal: AbortSignal.timeout(20_000) })
        assert.equal((await call('/v1/keys/rotate-data', { method: 'POST' })).status, 202)
        let status: { backgroundRotation: boolean; keys: { state: string }[] } | undefined
        for (let i = 0; i < 600; i++) {
          status = (await (await call('/v1/keys')).json()) as typeof status
          assert.equal((await call('/v1/users?limit=1')).status, 200, 'a database request during the rotation')
          if (status!.backgroundRotation === false && !status!.keys.some((k) => k.state === 'decrypt-only')) break
          await new Promise((r) => setTimeout(r, 100))
        }
        assert.equal(status?.keys.some((k) => k.state === 'decrypt-only'), false, JSON.stringify(status))
      } finally {
        await server.stop('SIGKILL')
      }
      await assertFinished()
    })

    test('from the scheduler: the rotation due-check finishes it', async () => {
      await interrupt()
      const vault = await openVault({ store: testStore.config, rootKey: { kind: 'local', masterKey: new Uint8Array(rootKey) }, mnemonicWords: 12 })
      const scheduler = startScheduler(vault, { health: null, auditVerify: null, rotationDue: '0 0 1 1 *', instance: 'test' })
      try {
        const run = await scheduler.runNow('rotation-due')
        assert.equal(run?.ok, true, run?.detail)
        assert.match(run!.detail, /finished a pending rotation/)
      } finally {
        await scheduler.stop()
        await vault.close()
      }
      await assertFinished()
      // After three interrupted and resumed rotations, doctor re-derives every address from its key.
      const doctor = await runCoffre([...args, 'doctor', '--json'], { env, timeoutMs: HANG_MS })
      assert.equal(doctor.json?.ok, true, doctor.stdout + doctor.stderr)
    })
  })
}
