/**
 * Derived keys cost bounded work per call (issue 9): a read-only token asking for 100,000 keys gets
 * one page and the vault derives and writes at most MAX_DERIVATIONS_PER_CALL new keys for it;
 * further pages (offset) and repeated membership checks make progress a bounded step at a time.
 * Both engines, through buildApp + inject().
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { getDerivedPublicKeys, deriveChildKeyPair } from '../../../src/index.ts'
import { useIdentityKey } from '../../../src/vault/keys/useKey.ts'
import { DERIVED_KEYS_PER_PAGE, MAX_DERIVATIONS_PER_CALL } from '../../../src/vault/pairs/identityKeys.ts'
import { ENGINES } from '../../support/engines.ts'
import { startHarness, type Harness } from '../../http/httpHarness.ts'
import { contextOf } from '../../../src/vault/internals.ts'

for (const engine of ENGINES) {
  describe(`derived-key cost limits on ${engine}`, () => {
    let h: Harness
    before(async () => {
      h = await startHarness({}, { engine })
    })
    after(async () => h.close())

    const newUser = async (telegramUserId: number) => {
      const user = await h.test.vault.users.create({ telegramUserId })
      const privateKey = await useIdentityKey(contextOf(h.test.vault), { id: user.id }, { purpose: 'test.oracle' }, (k) => Buffer.from(k).toString('hex'))
      return { ...user, privateKey }
    }
    const persisted = async (userId: string) =>
      Number((await contextOf(h.test.vault).store.db.selectFrom('derived_public_keys').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n)
    const get = (url: string) => h.app.inject({ method: 'GET', url, headers: h.auth('users:read') })
    const belongs = (userId: string, publicKey: string, maxDerived: number) =>
      h.app.inject({ method: 'POST', url: `/v1/users/${userId}/derived-keys/belongs`, headers: h.auth('users:read'), payload: { publicKey, maxDerived } })

    test('count=100000 with a read-only token returns one page and derives at most one step of keys', async () => {
      const u = await newUser(7001)
      const reply = await get(`/v1/users/${u.id}/derived-keys?count=100000`)
      assert.equal(reply.statusCode, 200, reply.body)
      const body = reply.json()
      assert.equal(body.publicKeys.length, 1 + DERIVED_KEYS_PER_PAGE)
      assert.equal(body.nextOffset, DERIVED_KEYS_PER_PAGE)
      assert.deepEqual(body.publicKeys, getDerivedPublicKeys(u.privateKey, DERIVED_KEYS_PER_PAGE))
      assert.ok((await persisted(u.id)) <= MAX_DERIVATIONS_PER_CALL, 'at most one step persisted')
      assert.ok(reply.body.length < 100_000, `reply of ${reply.body.length} bytes`)
    })

    test('pages by offset concatenate to getDerivedPublicKeys(parent, count)', async () => {
      const u = await newUser(7002)
      const count = 2 * DERIVED_KEYS_PER_PAGE + 123
      const keys: string[] = []
      let offset: number | null = 0
      let pages = 0
      while (offset !== null) {
        const reply = await get(`/v1/users/${u.id}/derived-keys?count=${count}&offset=${offset}`)
        assert.equal(reply.statusCode, 200, reply.body)
        const page = reply.json() as { publicKeys: string[]; nextOffset: number | null }
        assert.ok(page.publicKeys.length <= DERIVED_KEYS_PER_PAGE + 1)
        keys.push(...page.publicKeys)
        offset = page.nextOffset
        pages += 1
      }
      assert.equal(pages, 3)
      assert.deepEqual(keys, getDerivedPublicKeys(u.privateKey, count))
      const last = await get(`/v1/users/${u.id}/derived-keys?count=${count}&offset=${count}`)
      assert.deepEqual(last.json(), { publicKeys: [], nextOffset: null })
      const beyond = await get(`/v1/users/${u.id}/derived-keys?count=10&offset=11`)
      assert.equal(beyond.statusCode, 400)
    })

    test('jumping far ahead is refused after one bounded step, and repeating makes progress', async () => {
      const u = await newUser(7003)
      const far = await get(`/v1/users/${u.id}/derived-keys?count=100000&offset=90000`)
      assert.equal(far.statusCode, 409, far.body)
      assert.equal(far.json().error.code, 'COFFRE_CONFLICT')
      assert.match(far.json().error.message, /indexed up to/)
      assert.ok((await persisted(u.id)) <= MAX_DERIVATIONS_PER_CALL)
    })

    test('a membership check beyond the indexed range derives one bounded step per call', async () => {
      const u = await newUser(7004)
      const target = deriveChildKeyPair(u.privateKey, MAX_DERIVATIONS_PER_CALL + 10).publicKey
      const first = await belongs(u.id, target, 100_000)
      assert.equal(first.statusCode, 409, first.body)
      assert.equal(first.json().error.code, 'COFFRE_CONFLICT')
      const step = await persisted(u.id)
      assert.ok(step > 0 && step <= MAX_DERIVATIONS_PER_CALL)
      const second = await belongs(u.id, target, 100_000)
      assert.equal(second.statusCode, 200, second.body)
      assert.deepEqual(second.json(), { belongs: true, index: MAX_DERIVATIONS_PER_CALL + 10 })
      assert.ok((await persisted(u.id)) <= 2 * MAX_DERIVATIONS_PER_CALL)
      // Within the indexed range the answer is immediate, found or not.
      const outsider = deriveChildKeyPair('44'.repeat(32), 1).publicKey
      assert.deepEqual((await belongs(u.id, outsider, 500)).json(), { belongs: false, index: null })
    })

    test('the library has the same bounds: publicKeys takes one page, publicKeyPage pages', async () => {
      const u = await newUser(7005)
      await assert.rejects(h.test.vault.derive.publicKeys({ id: u.id }, DERIVED_KEYS_PER_PAGE + 1), { code: 'COFFRE_INVALID_INPUT' })
      await assert.rejects(h.test.vault.derive.publicKeyPage({ id: u.id }, { count: 1500, offset: 1000 }), { code: 'COFFRE_CONFLICT' }, 'a fresh identity is indexed a step at a time')
      const first = await h.test.vault.derive.publicKeyPage({ id: u.id }, { count: 1500 })
      assert.equal(first.nextOffset, 1000)
      const page = await h.test.vault.derive.publicKeyPage({ id: u.id }, { count: 1500, offset: 1000 })
      assert.equal(page.nextOffset, null)
      assert.equal(page.publicKeys.length, 500)
      assert.deepEqual(page.publicKeys, getDerivedPublicKeys(u.privateKey, 1500).slice(1001))
    })
  })
}
