/**
 * The MAC key follows `keys rotate-root` (rewrapped, not changed: rows keep authenticating, only the
 * new root key produces it) and is not readable from the database. Forged tokens are 401 over HTTP
 * exactly like unknown ones. Both engines.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { openLocalKeyProvider } from '../../../src/keyProviders/local.ts'
import { openVault } from '../../../src/vault/openVault.ts'
import { contextOf } from '../../../src/vault/internals.ts'
import { hashToken, newTokenText } from '../../../src/vault/tokens/tokenText.ts'
import { startHarness, type Harness } from '../../http/httpHarness.ts'
import { ENGINES } from '../../support/engines.ts'
import { openTestVault, type TestVault } from '../../support/vault.ts'

for (const engine of ENGINES) {
  describe(`the MAC key under root-key rotation on ${engine}`, () => {
    let t: TestVault
    before(async () => {
      t = await openTestVault(engine)
    })
    after(async () => t.cleanup())

    test('rotate-root rewraps the MAC key: tokens and users made before still authenticate under the new root key only', async () => {
      const token = await t.vault.tokens.create({ name: 'before', scopes: ['sign'], policy: 'allow-all' })
      const user = await t.vault.users.create({ telegramUserId: 4242 })
      const db = contextOf(t.vault).store.db
      const before = await db.selectFrom('integrity_keys').selectAll().executeTakeFirstOrThrow()
      const newRoot = new Uint8Array(randomBytes(32))
      const target = openLocalKeyProvider({ key: newRoot })
      await t.vault.keys.rotateRoot(target)
      await target.close()
      const afterRow = await db.selectFrom('integrity_keys').selectAll().executeTakeFirstOrThrow()
      assert.equal(afterRow.provider_key_ref, openLocalKeyProvider({ key: Uint8Array.from(newRoot) }).info.keyRef)
      assert.notEqual(afterRow.wrapped_key, before.wrapped_key)
      assert.equal(afterRow.check_value, before.check_value, 'the same MAC key, rewrapped')
      await t.vault.close()
      await assert.rejects(openVault(t.config), { code: 'COFFRE_ROOT_KEY_INVALID' })
      t.vault = await openVault({ ...t.config, rootKey: { kind: 'local', masterKey: newRoot } })
      assert.equal((await t.vault.tokens.authenticate(token.token))?.id, token.id)
      assert.equal((await t.vault.sign.message({ telegramUserId: 4242 }, { chain: 'polygon', message: 'm' })).address, user.polygonAddress)
      const report = await t.vault.doctor({ secrets: true, scheduler: false })
      assert.equal(report.ok, true, JSON.stringify(report.checks.filter((c) => !c.ok)))
      // The key itself is nowhere in the database in plaintext: the row holds a wrap and an HMAC check value only.
      assert.equal(Buffer.from(afterRow.wrapped_key, 'base64').length > 32, true)
    })
  })

  describe(`a forged token over HTTP on ${engine}`, () => {
    let h: Harness
    before(async () => {
      h = await startHarness({}, { engine })
    })
    after(async () => h.close())

    test('a token row inserted by SQL with admin scope gets the same 401 as an unknown token', async () => {
      const forged = newTokenText()
      const db = contextOf(h.test.vault).store.db
      await db.insertInto('api_tokens').values({ id: `tok_${randomBytes(8).toString('hex')}`, name: 'evil', token_hash: hashToken(forged), scopes: '["admin"]', created_at: new Date().toISOString(), revoked_at: null }).execute()
      const asForged = await h.app.inject({ url: '/v1/users?limit=1', headers: { authorization: `Bearer ${forged}` } })
      const asUnknown = await h.app.inject({ url: '/v1/users?limit=1', headers: { authorization: `Bearer ${newTokenText()}` } })
      assert.equal(asForged.statusCode, 401)
      assert.equal(asUnknown.statusCode, 401)
      assert.deepEqual(JSON.parse(asForged.body).error.code, JSON.parse(asUnknown.body).error.code)
      assert.equal((await h.app.inject({ url: '/v1/users?limit=1', headers: h.auth('admin') })).statusCode, 200)
    })
  })
}
