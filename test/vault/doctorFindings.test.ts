/**
 * `doctor` names what went wrong, each condition made with real SQL on both engines: a rotation
 * stuck half-way, a generated user whose mnemonic ciphertext is gone, a data key inserted without
 * an audit entry, secrets left under a retired key.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { drainDataKey } from '../../src/vault/rotation/drainDataKey.ts'
import { ENGINES } from '../support/engines.ts'
import { openTestVault, type TestVault } from '../support/vault.ts'
import { contextOf } from '../../src/vault/internals.ts'

type Check = { name: string; ok: boolean; detail: string; failures?: readonly string[] }

for (const engine of ENGINES) {
  describe(`doctor findings on ${engine}`, () => {
    let t: TestVault
    const db = () => contextOf(t.vault).store.db
    const check = async (name: string): Promise<Check> => {
      const report = await t.vault.doctor({ secrets: true, scheduler: false })
      const found = report.checks.find((c) => c.name === name)
      assert.ok(found, `doctor has a ${name} check`)
      return found
    }

    before(async () => {
      t = await openTestVault(engine)
      await t.vault.users.ensureMany(Array.from({ length: 30 }, (_, i) => ({ telegramUserId: 5_000 + i })))
    })
    after(async () => t.cleanup())

    test('a healthy vault passes the new checks', async () => {
      const report = await t.vault.doctor({ scheduler: false })
      assert.equal(report.ok, true, JSON.stringify(report.checks.filter((c) => !c.ok)))
      for (const name of ['data-keys', 'rotation', 'users']) assert.ok(report.checks.some((c) => c.name === name))
    })

    test('a rotation that stopped half-way: in progress while it moves, stuck once it has not moved for 10 minutes', async () => {
      const deps = { db: db(), dialect: contextOf(t.vault).store.dialect, keyring: contextOf(t.vault).keyring, actor: 'test' }
      const oldId = contextOf(t.vault).keyring.activeDataKeyId
      await contextOf(t.vault).keyring.rotateActiveDataKey({ actor: 'test', reason: 'operator' })
      const stop = new AbortController()
      await drainDataKey(deps, oldId, { batchSize: 10, workers: 1, signal: stop.signal, onBatch: () => stop.abort() })
      const moving = await check('rotation')
      assert.equal(moving.ok, true)
      assert.match(moving.detail, new RegExp(`in progress: rotation off data key ${oldId}: 10/\\d+`))
      await db().updateTable('rotation_progress').set({ updated_at: '2020-01-01T00:00:00.000Z' }).where('data_key_id', '=', oldId).execute()
      const stuck = await check('rotation')
      assert.equal(stuck.ok, false)
      assert.match(stuck.failures![0]!, new RegExp(`rotation off data key ${oldId}: 10/\\d+ secrets re-encrypted.*stuck \\(partial\\); run \`coffre keys rotate-data\``))
      // Left under a retired key, the rest of its secrets would be lost: named too.
      await db().updateTable('data_keys').set({ state: 'retired' }).where('id', '=', oldId).execute()
      const keys = await check('data-keys')
      assert.equal(keys.ok, false)
      assert.ok(keys.failures!.some((f) => new RegExp(`^\\d+ stored secret\\(s\\) name data key ${oldId}, which is retired$`).test(f)), JSON.stringify(keys.failures))
      await db().updateTable('data_keys').set({ state: 'decrypt-only' }).where('id', '=', oldId).execute()
      const finished = await t.vault.keys.rotateData({ startNewKey: false })
      assert.deepEqual(finished.retired, [oldId])
      assert.equal((await check('rotation')).ok, true)
      assert.equal((await check('data-keys')).ok, true)
    })

    test('a generated user whose mnemonic ciphertext is missing is named', async () => {
      const user = (await t.vault.users.get({ telegramUserId: 5_007 }))!
      const row = await db().selectFrom('users').select('mnemonic_ciphertext').where('id', '=', user.id).executeTakeFirstOrThrow()
      await db().updateTable('users').set({ mnemonic_ciphertext: null }).where('id', '=', user.id).execute()
      try {
        const users = await check('users')
        assert.equal(users.ok, false)
        assert.deepEqual(users.failures, [`generated user ${user.id} (telegram 5007) has no mnemonic ciphertext`])
      } finally {
        await db().updateTable('users').set({ mnemonic_ciphertext: row.mnemonic_ciphertext }).where('id', '=', user.id).execute()
      }
      assert.equal((await check('users')).ok, true)
    })

    test('a data key written outside Coffre (no audit entry for its creation) is named', async () => {
      const active = await db().selectFrom('data_keys').selectAll().where('state', '=', 'active').executeTakeFirstOrThrow()
      const forged = 'dk_0000forged0000000000'
      await db().insertInto('data_keys').values({ ...active, id: forged, state: 'decrypt-only' }).execute()
      try {
        const keys = await check('data-keys')
        assert.equal(keys.ok, false)
        assert.ok(keys.failures!.includes(`data key ${forged} has no audit entry for its creation (written outside Coffre?)`), JSON.stringify(keys.failures))
      } finally {
        await db().deleteFrom('data_keys').where('id', '=', forged).execute()
      }
    })
  })
}
