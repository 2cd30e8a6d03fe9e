/**
 * Issue 11's attacks by a database writer without the root key, made with plain SQL against a real
 * running vault on both engines: a forged API token, a telegram-id swap, a rewritten derived key, a
 * retired data key brought back, a deleted MAC-key row. Each is refused with a typed error (or as an
 * unknown token), nothing is signed or exported, the refusal is audited and `doctor` names the row.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { openVault } from '../../../src/vault/openVault.ts'
import { contextOf } from '../../../src/vault/internals.ts'
import { hashToken, newTokenText } from '../../../src/vault/tokens/tokenText.ts'
import { ENGINES } from '../../support/engines.ts'
import { openTestVault, type TestVault } from '../../support/vault.ts'

for (const engine of ENGINES) {
  describe(`row integrity against a database writer on ${engine}`, () => {
    let t: TestVault
    const db = () => contextOf(t.vault).store.db
    const integrityCheck = async () => {
      const report = await t.vault.doctor({ secrets: false, scheduler: false })
      const check = report.checks.find((c) => c.name === 'integrity')
      assert.ok(check, 'doctor has an integrity check')
      return check
    }
    const audited = async (action: string, subject: string) =>
      (await db().selectFrom('audit_log').select('seq').where('action', '=', action).where('subject', '=', subject).execute()).length

    before(async () => {
      t = await openTestVault(engine)
    })
    after(async () => t.cleanup())

    test('a new vault has a MAC key wrapped by its root key, enabled in one audited step; every row authenticates', async () => {
      const key = await db().selectFrom('integrity_keys').selectAll().executeTakeFirstOrThrow()
      assert.equal(key.provider_key_ref, t.vault.info().rootKeyRef)
      assert.equal((await db().selectFrom('audit_log').select('seq').where('action', '=', 'integrity.enable').execute()).length, 1)
      await t.vault.users.create({ telegramUserId: 7001 })
      await t.vault.tokens.create({ name: 'ok', scopes: ['sign'], policy: 'allow-all' })
      const check = await integrityCheck()
      assert.equal(check.ok, true, JSON.stringify(check))
      const macs = await db().selectFrom('users').select('row_mac').execute()
      assert.ok(macs.every((r) => typeof r.row_mac === 'string' && r.row_mac.startsWith('rm1.')))
    })

    test('a token row inserted by SQL (admin scope) is refused exactly like an unknown token, audited, and named by doctor', async () => {
      const text = newTokenText()
      const id = `tok_${randomBytes(8).toString('hex')}`
      await db().insertInto('api_tokens').values({ id, name: 'evil', token_hash: hashToken(text), scopes: JSON.stringify(['admin']), created_at: new Date().toISOString(), revoked_at: null }).execute()
      assert.equal(await t.vault.tokens.authenticate(text), null)
      assert.equal(await t.vault.tokens.authenticate(newTokenText()), null)
      // Copying a genuine row's MAC onto it does not help: the MAC covers the hash and the scopes.
      const genuine = await t.vault.tokens.create({ name: 'genuine', scopes: ['users:read'] })
      const { row_mac } = await db().selectFrom('api_tokens').select('row_mac').where('id', '=', genuine.id).executeTakeFirstOrThrow()
      await db().updateTable('api_tokens').set({ row_mac }).where('id', '=', id).execute()
      assert.equal(await t.vault.tokens.authenticate(text), null)
      assert.notEqual(await t.vault.tokens.authenticate(genuine.token), null)
      // Widening a genuine token's scopes by SQL makes it unusable.
      await db().updateTable('api_tokens').set({ scopes: JSON.stringify(['admin']) }).where('id', '=', genuine.id).execute()
      assert.equal(await t.vault.tokens.authenticate(genuine.token), null)
      await t.vault.close().then(() => undefined) // flush the audit writer; reopen below
      t.vault = await openVault(t.config)
      assert.equal(await audited('integrity.failed', `api_tokens:${id}`), 1)
      assert.equal(await audited('integrity.failed', `api_tokens:${genuine.id}`), 1)
      const check = await integrityCheck()
      assert.equal(check.ok, false)
      assert.ok(check.failures?.some((f) => f.startsWith(`api_tokens:${id} `)), JSON.stringify(check.failures))
      assert.ok(check.failures?.some((f) => f.startsWith(`api_tokens:${genuine.id} `)), JSON.stringify(check.failures))
      await db().deleteFrom('api_tokens').where('id', 'in', [id, genuine.id]).execute()
    })

    test('swapping two users\' telegram ids: COFFRE_INTEGRITY_FAILED, nothing signed or exported, doctor names both', async () => {
      const a = await t.vault.users.create({ telegramUserId: 1001 })
      const b = await t.vault.users.create({ telegramUserId: 1002 })
      await db().updateTable('users').set({ telegram_user_id: 999_999 }).where('id', '=', a.id).execute()
      await db().updateTable('users').set({ telegram_user_id: 1001 }).where('id', '=', b.id).execute()
      await db().updateTable('users').set({ telegram_user_id: 1002 }).where('id', '=', a.id).execute()
      // A fresh process: no cached rows.
      await t.vault.close()
      t.vault = await openVault(t.config)
      await assert.rejects(t.vault.users.export({ telegramUserId: 1002 }), { code: 'COFFRE_INTEGRITY_FAILED' })
      await assert.rejects(t.vault.sign.message({ telegramUserId: 1002 }, { chain: 'polygon', message: 'pay me' }), { code: 'COFFRE_INTEGRITY_FAILED' })
      await assert.rejects(t.vault.sign.message({ telegramUserId: 1001 }, { chain: 'solana', message: 'pay me' }), { code: 'COFFRE_INTEGRITY_FAILED' })
      await assert.rejects(t.vault.users.get({ telegramUserId: 1002 }), { code: 'COFFRE_INTEGRITY_FAILED' })
      await assert.rejects(t.vault.users.create({ telegramUserId: 1002 }), { code: 'COFFRE_INTEGRITY_FAILED' })
      const decrypts = await db().selectFrom('audit_log').select('action').where('user_id', 'in', [a.id, b.id]).where('action', 'like', 'key.%').execute()
      assert.equal(decrypts.length, 0, 'no key of either user was used')
      const check = await integrityCheck()
      assert.equal(check.ok, false)
      for (const id of [a.id, b.id]) assert.ok(check.failures?.some((f) => f.startsWith(`users:${id} `)), JSON.stringify(check.failures))
      // Swapped back, both work again.
      await db().updateTable('users').set({ telegram_user_id: 999_999 }).where('id', '=', a.id).execute()
      await db().updateTable('users').set({ telegram_user_id: 1002 }).where('id', '=', b.id).execute()
      await db().updateTable('users').set({ telegram_user_id: 1001 }).where('id', '=', a.id).execute()
      const signed = await t.vault.sign.message({ telegramUserId: 1001 }, { chain: 'polygon', message: 'hi' })
      assert.equal(signed.address, a.polygonAddress)
    })

    test('a wallet moved to another user, or its address rewritten, is refused', async () => {
      const c = await t.vault.users.create({ telegramUserId: 1003 })
      await db().updateTable('wallets').set({ address: '0x000000000000000000000000000000000000dEaD' }).where('user_id', '=', c.id).where('chain', '=', 'polygon').execute()
      await t.vault.close()
      t.vault = await openVault(t.config)
      await assert.rejects(t.vault.sign.message({ id: c.id }, { chain: 'polygon', message: 'x' }), { code: 'COFFRE_INTEGRITY_FAILED' })
      assert.ok((await integrityCheck()).failures?.some((f) => f.startsWith(`wallets:${c.id}/polygon `)))
      await db().updateTable('wallets').set({ address: c.polygonAddress }).where('user_id', '=', c.id).where('chain', '=', 'polygon').execute()
      await t.vault.sign.message({ id: c.id }, { chain: 'polygon', message: 'x' })
    })

    test('a rewritten derived public key does not "belong" and is not listed', async () => {
      const u = await t.vault.users.create({ telegramUserId: 1004 })
      const keys = await t.vault.derive.publicKeys({ id: u.id }, 10)
      const attacker = Buffer.from(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true)).toString('hex')
      await db().updateTable('derived_public_keys').set({ public_key: attacker }).where('user_id', '=', u.id).where('idx', '=', 7).execute()
      await t.vault.close()
      t.vault = await openVault(t.config)
      await assert.rejects(t.vault.derive.belongs({ id: u.id }, attacker, 10), { code: 'COFFRE_INTEGRITY_FAILED' })
      await assert.rejects(t.vault.derive.publicKeys({ id: u.id }, 10), { code: 'COFFRE_INTEGRITY_FAILED' })
      assert.ok((await integrityCheck()).failures?.some((f) => f.startsWith(`derived_public_keys:${u.id}/7 `)))
      await db().updateTable('derived_public_keys').set({ public_key: keys[8]! }).where('user_id', '=', u.id).where('idx', '=', 7).execute()
      assert.deepEqual(await t.vault.derive.publicKeys({ id: u.id }, 10), keys)
    })

    test('a key slipped into a remote pair, or a pair re-pointed at another main key, does not belong', async () => {
      const key = () => Buffer.from(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true)).toString('hex')
      const [main, extra, attacker] = [key(), key(), key()]
      const pair = await t.vault.pairs.create({ publicKey: main, publicKeys: [extra] })
      assert.equal(await t.vault.pairs.contains(pair.uuid, extra), true)
      await db().insertInto('pair_public_keys').values({ pair_uuid: pair.uuid, public_key: attacker, position: 1, created_at: new Date().toISOString() }).execute()
      await assert.rejects(t.vault.pairs.contains(pair.uuid, attacker), { code: 'COFFRE_INTEGRITY_FAILED' })
      await assert.rejects(t.vault.pairs.publicKeys(pair.uuid), { code: 'COFFRE_INTEGRITY_FAILED' })
      assert.ok((await integrityCheck()).failures?.some((f) => f.startsWith(`pair_public_keys:${pair.uuid}/${attacker} `)))
      await db().deleteFrom('pair_public_keys').where('public_key', '=', attacker).execute()
      await db().updateTable('pairs').set({ public_key: attacker }).where('uuid', '=', pair.uuid).execute()
      await assert.rejects(t.vault.pairs.contains(pair.uuid, attacker), { code: 'COFFRE_INTEGRITY_FAILED' })
      await db().updateTable('pairs').set({ public_key: main }).where('uuid', '=', pair.uuid).execute()
      assert.deepEqual(await t.vault.pairs.publicKeys(pair.uuid), [main, extra])
      // Keys added through the vault authenticate.
      await t.vault.pairs.addKeys(pair.uuid, [attacker])
      assert.equal(await t.vault.pairs.contains(pair.uuid, attacker), true)
      assert.equal((await integrityCheck()).ok, true)
    })

    test('a Polymarket API key moved to another user by SQL is never used for that user', async () => {
      const owner = await t.vault.users.create({ telegramUserId: 1006 })
      const victim = await t.vault.users.create({ telegramUserId: 1007 })
      const baseUrl = t.vault.polymarket.config.baseUrl
      const { id } = await t.vault.polymarket.credentials.import({ userId: owner.id, address: owner.polygonAddress, apiKey: `key-${randomBytes(4).toString('hex')}`, secret: randomBytes(32).toString('base64url'), passphrase: 'pass', chainId: 137, baseUrl })
      await db().updateTable('clob_credentials').set({ user_id: victim.id, address: victim.polygonAddress }).where('id', '=', id).execute()
      await assert.rejects(t.vault.polymarket.credentials.list({ id: victim.id }), { code: 'COFFRE_INTEGRITY_FAILED' })
      assert.ok((await integrityCheck()).failures?.some((f) => f.startsWith(`clob_credentials:${id} `)))
      await db().deleteFrom('clob_credentials').where('id', '=', id).execute()
    })

    test('rollback: a retired data key un-retired by SQL, with a pre-rotation ciphertext restored, decrypts nothing', async () => {
      const u = await t.vault.users.create({ telegramUserId: 1005 })
      const before = await db().selectFrom('wallets').select('private_key_ciphertext').where('user_id', '=', u.id).where('chain', '=', 'polygon').executeTakeFirstOrThrow()
      const oldKey = contextOf(t.vault).keyring.activeDataKeyId
      const rotated = await t.vault.keys.rotateData({})
      assert.ok(rotated.retired.includes(oldKey), JSON.stringify(rotated))
      await db().updateTable('data_keys').set({ state: 'decrypt-only' }).where('id', '=', oldKey).execute()
      await db().updateTable('wallets').set({ private_key_ciphertext: before.private_key_ciphertext }).where('user_id', '=', u.id).where('chain', '=', 'polygon').execute()
      await t.vault.close()
      t.vault = await openVault(t.config)
      await assert.rejects(t.vault.sign.message({ id: u.id }, { chain: 'polygon', message: 'x' }), { code: 'COFFRE_INTEGRITY_FAILED' })
      await assert.rejects(contextOf(t.vault).keyring.loadDataKey(oldKey), { code: 'COFFRE_INTEGRITY_FAILED' })
      assert.ok((await integrityCheck()).failures?.some((f) => f.startsWith(`data_keys:${oldKey} `)))
      await db().updateTable('data_keys').set({ state: 'retired' }).where('id', '=', oldKey).execute()
      await assert.rejects(t.vault.sign.message({ id: u.id }, { chain: 'polygon', message: 'x' }), { code: 'COFFRE_DATA_KEY_UNAVAILABLE' })
    })

    test('deleting the MAC-key row does not re-enable integrity over forged rows: the vault refuses to open', async () => {
      await t.vault.close()
      const store = await (await import('../../../src/store/openStore.ts')).openStore(t.config.store)
      const saved = await store.db.selectFrom('integrity_keys').selectAll().executeTakeFirstOrThrow()
      await store.db.deleteFrom('integrity_keys').execute()
      await assert.rejects(openVault(t.config), { code: 'COFFRE_INTEGRITY_FAILED' })
      // Even with every row's MAC wiped too, the audit trail says integrity was enabled.
      await sql`update users set row_mac = null`.execute(store.db)
      await assert.rejects(openVault(t.config), { code: 'COFFRE_INTEGRITY_FAILED' })
      await store.db.insertInto('integrity_keys').values(saved).execute()
      const users = await store.db.selectFrom('users').select('id').execute()
      await store.close()
      t.vault = await openVault(t.config)
      const check = await integrityCheck()
      assert.equal(check.ok, false)
      assert.ok(users.every((u) => check.failures?.some((f) => f.startsWith(`users:${u.id} `) && f.includes('no MAC'))))
    })
  })
}
