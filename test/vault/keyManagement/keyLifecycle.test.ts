/**
 * Data-key state changes that must not happen quietly, on both engines:
 * - with audit writes blocked (a trigger refuses every insert), `keys rotate-data` fails and the
 *   keyring is exactly as before — no new active key committed;
 * - with the active key's row deleted by a database writer, the next open makes no fresh key on its
 *   own: writes refuse with a typed error, doctor names it, and an operator's `keys rotate-data`
 *   makes the new key, audited as replacing a missing one.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { openVault, type Vault } from '../../../src/vault/openVault.ts'
import { coffreInProcess } from '../../support/cliInProcess.ts'
import { ENGINES, createTestStore, type TestStore } from '../../support/engines.ts'
import { contextOf } from '../../../src/vault/internals.ts'

async function blockAudit(vault: Vault, engine: string): Promise<() => Promise<void>> {
  const { db } = contextOf(vault).store
  if (engine === 'sqlite') {
    await sql`create trigger coffre_block_audit before insert on audit_log begin select raise(abort, 'audit blocked'); end`.execute(db)
    return async () => void (await sql`drop trigger coffre_block_audit`.execute(db))
  }
  await sql`create function coffre_block_audit() returns trigger language plpgsql as $$ begin raise exception 'audit blocked'; end $$`.execute(db)
  await sql`create trigger coffre_block_audit before insert on audit_log for each row execute function coffre_block_audit()`.execute(db)
  return async () => {
    await sql`drop trigger coffre_block_audit on audit_log`.execute(db)
    await sql`drop function coffre_block_audit()`.execute(db)
  }
}

for (const engine of ENGINES) {
  describe(`data-key state changes are audited or do not happen, on ${engine}`, () => {
    let testStore: TestStore
    const rootKey = randomBytes(32)
    const env = { COFFRE_MASTER_KEY: rootKey.toString('base64') }
    let args: string[]
    const coffre = (more: string[]) => coffreInProcess([...args, ...more], env)
    const open = () => openVault({ store: testStore.config, rootKey: { kind: 'local', masterKey: new Uint8Array(rootKey) }, mnemonicWords: 12 })
    const snapshot = async (vault: Vault) => ({
      keys: await contextOf(vault).store.db.selectFrom('data_keys').select(['id', 'state', 'encryption_count']).orderBy('id').execute(),
      progress: await contextOf(vault).store.db.selectFrom('rotation_progress').selectAll().orderBy('data_key_id').execute(),
    })

    before(async () => {
      testStore = await createTestStore(engine)
      args = engine === 'sqlite' ? ['--data-dir', testStore.dir] : ['--database-url', (testStore.config as { url: string }).url]
      const vault = await open()
      await vault.users.ensureMany(Array.from({ length: 10 }, (_, i) => ({ telegramUserId: 800 + i })))
      await vault.close()
    })
    after(async () => testStore.cleanup())

    test('with audit writes blocked, keys rotate-data fails and commits nothing', async () => {
      const vault = await open()
      try {
        const before = await snapshot(vault)
        const unblock = await blockAudit(vault, engine)
        try {
          const cli = await coffre(['keys', 'rotate-data', '--json'])
          assert.equal(cli.code, 1)
          assert.match(cli.stderr, /COFFRE_AUDIT_FAILED/)
          await assert.rejects(vault.keys.rotateData(), { code: 'COFFRE_AUDIT_FAILED' })
          assert.deepEqual(await snapshot(vault), before, 'no new key, no state change, no drain recorded')
        } finally {
          await unblock()
        }
        const rotated = await vault.keys.rotateData()
        assert.ok(rotated.newDataKeyId, 'once the audit can be written the rotation goes through')
      } finally {
        await vault.close()
      }
    })

    test('the active key row deleted: no quiet new key; writes refuse, doctor names it, an operator rotation makes an audited one', async () => {
      const first = await open()
      const deleted = contextOf(first).keyring.activeDataKeyId
      const keysBefore = (await snapshot(first)).keys.length
      await contextOf(first).store.db.deleteFrom('data_keys').where('id', '=', deleted).execute()
      await first.close()

      const vault = await open()
      try {
        assert.equal((await snapshot(vault)).keys.length, keysBefore - 1, 'opening made no key')
        assert.equal(contextOf(vault).keyring.activeDataKeyId, '')
        await assert.rejects(vault.users.create({ telegramUserId: 900 }), (error: { code?: string; message?: string }) => error.code === 'COFFRE_DATA_KEY_UNAVAILABLE' && /no active data key/.test(error.message ?? ''))
        const cliCreate = await coffre(['users', 'create', '--telegram-id', '901'])
        assert.equal(cliCreate.code, 1)
        assert.match(cliCreate.stderr, /COFFRE_DATA_KEY_UNAVAILABLE: .*no active data key/)
        const doctor = await vault.doctor({ scheduler: false })
        const keys = doctor.checks.find((c) => c.name === 'data-keys')!
        assert.equal(keys.ok, false)
        assert.match(keys.failures![0]!, /^no active data key/)
        assert.ok(keys.failures!.some((f) => f.includes(`name data key ${deleted}, which does not exist`)), 'the secrets lost with it are named')

        const rotation = await coffre(['keys', 'rotate-data', '--json'])
        assert.equal(rotation.code, 0, rotation.stderr)
        const replacement = rotation.json.newDataKeyId as string
        const entry = await contextOf(vault).store.db.selectFrom('audit_log').selectAll().where('subject', '=', `data_key:${replacement}`).executeTakeFirstOrThrow()
        assert.equal(entry.action, 'keys.create-data-key')
        assert.equal(entry.actor, 'cli')
        assert.deepEqual(JSON.parse(entry.details), { from: null, reason: 'operator', replacesMissingActiveKey: true, to: replacement })
        await contextOf(vault).keyring.refresh()
        assert.equal((await vault.users.ensure({ telegramUserId: 902 })).created, true, 'writes work again')
      } finally {
        await vault.close()
      }
    })
  })
}
