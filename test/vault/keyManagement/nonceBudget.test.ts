/**
 * A spent nonce budget never fails a write: with COFFRE_NONCE_BUDGET=5 (one user costs 4
 * encryptions), users are created through the CLI (each command a fresh keyring) and the library
 * (concurrently, in bulk batches larger than a key's budget, by import), a data-key rotation runs to
 * the end although re-encrypting spends each new key in turn, and creation goes on afterwards. Every
 * data key's creation and state change is in the audit trail, whoever started it.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { generateMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { openVault, type Vault } from '../../../src/vault/openVault.ts'
import { coffreInProcess } from '../../support/cliInProcess.ts'
import { runCoffre } from '../../support/cli.ts'
import { ENGINES, createTestStore, type TestStore } from '../../support/engines.ts'
import { contextOf } from '../../../src/vault/internals.ts'

const BUDGET = 5

for (const engine of ENGINES) {
  describe(`nonce budget ${BUDGET} on ${engine}`, () => {
    let testStore: TestStore
    let vault: Vault
    const rootKey = randomBytes(32)
    const env = { COFFRE_MASTER_KEY: rootKey.toString('base64'), COFFRE_NONCE_BUDGET: String(BUDGET) }
    let args: string[]
    const coffre = (more: string[]) => coffreInProcess([...args, ...more], env)

    before(async () => {
      testStore = await createTestStore(engine)
      args = engine === 'sqlite' ? ['--data-dir', testStore.dir] : ['--database-url', (testStore.config as { url: string }).url]
      assert.equal((await coffre(['init', '--json'])).code, 0)
      vault = await openVault({ store: testStore.config, rootKey: { kind: 'local', masterKey: new Uint8Array(rootKey) }, mnemonicWords: 12, nonceBudget: BUDGET })
    })
    after(async () => {
      await vault?.close()
      await testStore?.cleanup()
    })

    test('users created one by one through the CLI all succeed (a real process, then in-process commands)', async () => {
      const real = await runCoffre([...args, 'users', 'create', '--telegram-id', '100', '--json'], { env, timeoutMs: 60_000 })
      assert.equal(real.code, 0, real.stderr)
      for (let id = 101; id < 108; id++) {
        const created = await coffre(['users', 'create', '--telegram-id', String(id), '--json'])
        assert.equal(created.code, 0, `user ${id}: ${created.stderr}`)
        assert.equal(created.json.created, true)
      }
    })

    test('through the library: concurrent creates, a bulk batch far larger than a key, an import — all succeed', async () => {
      const concurrent = await Promise.all(Array.from({ length: 12 }, (_, i) => vault.users.create({ telegramUserId: 200 + i })))
      assert.equal(new Set(concurrent.map((u) => u.id)).size, 12)
      const bulk = await vault.users.ensureMany(Array.from({ length: 40 }, (_, i) => ({ telegramUserId: 300 + i })))
      assert.equal(bulk.filter((r) => r.created).length, 40)
      const imported = await vault.users.import({ telegramUserId: 400, mnemonic: generateMnemonic(wordlist) })
      assert.equal(imported.created, true)
    })

    test('`keys rotate-data` finishes although re-encrypting spends every new key; creation goes on afterwards', async () => {
      const before = await contextOf(vault).store.db.selectFrom('data_keys').select('id').where('state', '!=', 'retired').execute()
      const rotated = await runCoffre([...args, 'keys', 'rotate-data', '--batch-size', '7', '--json'], { env, timeoutMs: 120_000 })
      assert.equal(rotated.code, 0, rotated.stderr)
      assert.ok(rotated.json.newDataKeyId)
      assert.deepEqual(rotated.json.remaining, {})
      assert.deepEqual([...rotated.json.retired].sort(), before.map((k) => k.id).sort(), 'every key older than the rotation is retired')
      for (let id = 500; id < 504; id++) assert.equal((await coffre(['users', 'create', '--telegram-id', String(id), '--json'])).code, 0)
      await vault.users.ensureMany(Array.from({ length: 10 }, (_, i) => ({ telegramUserId: 600 + i })))
      assert.equal(await vault.users.count(), 8 + 12 + 40 + 1 + 4 + 10)
    })

    test('no key ever went past its budget, and every data-key creation and state change is audited', async () => {
      const { db } = contextOf(vault).store
      const keys = await db.selectFrom('data_keys').selectAll().execute()
      assert.ok(keys.length > 20, `many keys were used (${keys.length})`)
      for (const key of keys) assert.ok(Number(key.encryption_count) <= BUDGET, `${key.id} counted ${key.encryption_count}`)
      const entries = await db.selectFrom('audit_log').select(['action', 'actor', 'subject', 'details']).where('subject', 'like', 'data_key:%').execute()
      const created = new Map(entries.filter((e) => e.action === 'keys.create-data-key' || e.action === 'keys.rotate-data-key').map((e) => [e.subject!.slice('data_key:'.length), JSON.parse(e.details)]))
      for (const key of keys) assert.ok(created.has(key.id), `data key ${key.id} has a creation entry`)
      // A key left decrypt-only was replaced by an audited rotation naming it as `from`.
      const replaced = new Set([...created.values()].map((d) => d.from).filter((from) => from !== null))
      for (const key of keys.filter((k) => k.state !== 'active')) assert.ok(replaced.has(key.id), `state change of ${key.id} is audited`)
      const retiredAudit = new Set(entries.filter((e) => e.action === 'keys.retire-data-key').map((e) => e.subject!.slice('data_key:'.length)))
      for (const key of keys.filter((k) => k.state === 'retired')) assert.ok(retiredAudit.has(key.id), `retirement of ${key.id} is audited`)
      assert.ok([...created.values()].some((d) => d.reason === 'nonce-budget'), 'rotations the keyring started on its own are there too')
      assert.ok(entries.some((e) => e.actor === 'system:keyring'))
      assert.equal((await vault.audit.verify()).ok, true)
      const doctor = await vault.doctor()
      assert.equal(doctor.ok, true, JSON.stringify(doctor.checks.filter((c) => !c.ok)))
    })
  })
}
