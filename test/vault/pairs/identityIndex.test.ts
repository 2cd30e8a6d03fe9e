/**
 * vault.derive and the local pair answer like the seed's linear definition (src/derive's pure
 * functions on the decrypted identity key), while decrypting the identity key only to extend the
 * persisted/indexed range. Both engines.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { deriveChildKeyPair, findPublicKeyInIdentity, getDerivedPublicKeys, getPairPublicKeys, pairContainsPublicKey, publicKeyBelongsToIdentity } from '../../../src/index.ts'
import { openVault } from '../../../src/vault/openVault.ts'
import { useIdentityKey } from '../../../src/vault/keys/useKey.ts'
import { ENGINES } from '../../support/engines.ts'
import { openTestVault, type TestVault } from '../../support/vault.ts'
import { contextOf } from '../../../src/vault/internals.ts'

const K = 48 // derived keys considered by the properties
const outsider = deriveChildKeyPair('33'.repeat(32), 7).publicKey

for (const engine of ENGINES) {
  describe(`identity-derived keys in the vault on ${engine}`, () => {
    let t: TestVault
    const users: Array<{ id: string; privateKey: string; keys: string[] }> = []
    const keyUses = async (purpose: string) => {
      const rows = await contextOf(t.vault).store.db.selectFrom('audit_log').select('details').where('action', '=', 'key.use').where('subject', '=', 'identity').execute()
      return rows.filter((r) => JSON.parse(r.details).purpose === purpose).length
    }

    before(async () => {
      t = await openTestVault(engine)
      for (const telegramUserId of [101, 102]) {
        const user = await t.vault.users.create({ telegramUserId })
        // The test reads the identity key the audited way, to compute the linear definition independently.
        const privateKey = await useIdentityKey(contextOf(t.vault), { id: user.id }, { purpose: 'test.oracle' }, (k) => Buffer.from(k).toString('hex'))
        users.push({ id: user.id, privateKey, keys: getDerivedPublicKeys(privateKey, K + 4) })
      }
    })
    after(async () => t.cleanup())

    test('a cold vault: main-key answers and maxDerived 0 need no decryption', async () => {
      const [u] = users as [(typeof users)[0]]
      assert.equal(await t.vault.derive.find({ id: u.id }, u.keys[0] as string, 0), 'main')
      assert.equal(await t.vault.derive.find({ id: u.id }, u.keys[0] as string, 30), 'main')
      assert.equal(await t.vault.derive.belongs({ id: u.id }, u.keys[1] as string, 0), false)
      assert.equal(await keyUses('derive.index'), 0)
    })

    test('belongs/find/publicKeys equal the linear definition (fast-check), decrypting only to extend', async () => {
      const query = fc.record({
        who: fc.nat({ max: users.length - 1 }),
        keyOf: fc.nat({ max: users.length - 1 }),
        pick: fc.oneof(fc.nat({ max: K + 3 }), fc.constant(-1)),
        maxDerived: fc.oneof(fc.nat({ max: K }), fc.constantFrom(0, 1, K)),
        upper: fc.boolean(),
      })
      await fc.assert(
        fc.asyncProperty(query, async (q) => {
          const u = users[q.who]!
          const key = q.pick === -1 ? outsider : users[q.keyOf]!.keys[q.pick]!
          const asked = q.upper ? key.toUpperCase() : key
          const linear = findPublicKeyInIdentity(u.privateKey, asked, q.maxDerived)
          assert.deepEqual(await t.vault.derive.find({ id: u.id }, asked, q.maxDerived), linear)
          assert.equal(await t.vault.derive.belongs({ id: u.id }, asked, q.maxDerived), publicKeyBelongsToIdentity(u.privateKey, asked, q.maxDerived))
        }),
        { numRuns: 150 },
      )
      for (const u of users) assert.deepEqual(await t.vault.derive.publicKeys({ id: u.id }, K), getDerivedPublicKeys(u.privateKey, K))
      // each identity was extended at most once per 64-key step: K = 48 fits in one
      assert.ok((await keyUses('derive.index')) <= users.length, `${await keyUses('derive.index')} decryptions`)
      assert.ok(t.vault.derive.indexStats().keys > 0)
    })

    test('the local pair: contains and publicKeys equal pairContainsPublicKey / getPairPublicKeys with the private key', async () => {
      const u = users[1]!
      const pair = await t.vault.pairs.create({ user: { id: u.id }, derivedCount: 10 })
      const config = { uuid: pair.uuid, publicKey: pair.publicKey as string }
      assert.deepEqual(await t.vault.pairs.publicKeys(pair.uuid), getPairPublicKeys(config, u.privateKey, 10))
      assert.deepEqual(await t.vault.pairs.publicKeys(pair.uuid, 3), getPairPublicKeys(config, u.privateKey, 3))
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.nat({ max: K + 3 }), fc.constant(-1)), fc.option(fc.nat({ max: K }), { nil: undefined }), async (pick, maxDerived) => {
          const key = pick === -1 ? outsider : u.keys[pick]!
          const expected = pairContainsPublicKey(config, key, u.privateKey, maxDerived ?? 10)
          assert.equal(await t.vault.pairs.contains(pair.uuid, key, maxDerived), expected)
        }),
        { numRuns: 60 },
      )
    })

    test('persisted derived keys: a second vault on the same store answers cold with one query and no decryption', async () => {
      const other = await openVault(t.config)
      try {
        const before = await keyUses('derive.index')
        const u = users[0]!
        for (let i = 0; i < K; i += 7) assert.equal(await other.derive.find({ id: u.id }, u.keys[i + 1]!, K), i)
        assert.equal(await other.derive.find({ id: u.id }, outsider, K), null)
        assert.deepEqual(await other.derive.publicKeys({ id: u.id }, 20), u.keys.slice(0, 21))
        assert.equal(await keyUses('derive.index'), before)
        assert.equal(other.derive.indexStats().keys, 0, 'its own in-memory index stayed empty: no module global')
        // beyond what is persisted, it extends (one audited decryption) and answers right
        assert.equal(await other.derive.find({ id: u.id }, getDerivedPublicKeys(u.privateKey, 130)[130]!, 130), 129)
        assert.equal(await keyUses('derive.index'), before + 1)
      } finally {
        await other.close()
      }
    })

    test('concurrent extensions of one identity decrypt once in a vault, and store each index once', async () => {
      const u = users[1]!
      const before = await keyUses('derive.index')
      const target = 300
      const expected = getDerivedPublicKeys(u.privateKey, target)
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => t.vault.derive.find({ id: u.id }, expected[target - i]!, target)))
      assert.deepEqual(answers, Array.from({ length: 6 }, (_, i) => target - i - 1))
      assert.equal(await keyUses('derive.index'), before + 1)
      const rows = await contextOf(t.vault).store.db.selectFrom('derived_public_keys').select(['idx', 'public_key']).where('user_id', '=', u.id).orderBy('idx').execute()
      assert.deepEqual(rows.slice(0, target).map((r) => [Number(r.idx), r.public_key]), expected.slice(1).map((k, i) => [i, k]))
    })

    test('exportChild hands out deriveChildKeyPair(identity, index), audited as an export', async () => {
      const u = users[0]!
      const pair = await t.vault.derive.exportChild({ id: u.id }, 12, { actor: 'test', reason: 'backup' })
      assert.deepEqual(pair, deriveChildKeyPair(u.privateKey, 12))
      const rows = await contextOf(t.vault).store.db.selectFrom('audit_log').select(['action', 'actor', 'user_id', 'details']).where('subject', '=', 'identity:derived:12').execute()
      assert.deepEqual(rows.map((r) => [r.action, r.actor, r.user_id, JSON.parse(r.details)]), [['user.export', 'test', u.id, { index: 12, reason: 'backup' }]])
      assert.ok(!JSON.stringify(rows).includes(pair.privateKey))
    })

    test('bad inputs are typed errors before any work', async () => {
      const u = users[0]!
      const before = await keyUses('derive.index')
      await assert.rejects(t.vault.derive.find({ id: u.id }, 'zz', 3), { code: 'COFFRE_INVALID_INPUT' })
      await assert.rejects(t.vault.derive.find({ id: u.id }, u.keys[1]!, 100_001), { code: 'COFFRE_INVALID_INPUT' })
      await assert.rejects(t.vault.derive.find({ id: u.id }, u.keys[1]!, 1.5), { code: 'COFFRE_INVALID_INPUT' })
      await assert.rejects(t.vault.derive.publicKeys({ id: u.id }, -1), { code: 'COFFRE_INVALID_INPUT' })
      await assert.rejects(t.vault.derive.exportChild({ id: u.id }, -1), { code: 'COFFRE_INVALID_INPUT' })
      await assert.rejects(t.vault.derive.find({ telegramUserId: 999 }, u.keys[1]!, 3), { code: 'COFFRE_NOT_FOUND' })
      assert.equal(await keyUses('derive.index'), before)
    })
  })
}
