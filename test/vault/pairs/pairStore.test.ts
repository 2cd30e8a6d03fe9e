/**
 * Persisted pairs on both engines: CRUD, the seed's addPairPublicKey semantics through the store, an
 * audit row for every change (in the same transaction), concurrent edits without lost updates, and
 * bad inputs that write nothing.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { addPairPublicKey, deriveChildKeyPair } from '../../../src/index.ts'
import { ENGINES } from '../../support/engines.ts'
import { openTestVault, type TestVault } from '../../support/vault.ts'
import { contextOf } from '../../../src/vault/internals.ts'

const key = (i: number) => deriveChildKeyPair('5a'.repeat(32), i).publicKey
const uuid = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`

for (const engine of ENGINES) {
  describe(`pairs on ${engine}`, () => {
    let t: TestVault
    const db = () => contextOf(t.vault).store.db
    const auditRows = async (subject: string) =>
      db().selectFrom('audit_log').select(['action', 'actor', 'details', 'user_id']).where('subject', '=', subject).orderBy('seq').execute()
    const counts = async () => ({
      pairs: Number((await db().selectFrom('pairs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      keys: Number((await db().selectFrom('pair_public_keys').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      audit: Number((await db().selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    })

    before(async () => {
      t = await openTestVault(engine)
    })
    after(async () => t.cleanup())

    test('create a remote pair: keys validated, lowercased, deduplicated (main excluded from publicKeys); audited', async () => {
      const pair = await t.vault.pairs.create({ uuid: uuid(1).toUpperCase(), label: 'phone', publicKey: key(0).toUpperCase(), publicKeys: [key(1), key(0), `0x${key(1)}`, key(2)] }, { actor: 'test' })
      assert.equal(pair.uuid, uuid(1))
      assert.deepEqual({ ...pair, createdAt: '', updatedAt: '' }, { uuid: uuid(1), label: 'phone', userId: null, publicKey: key(0), publicKeys: [key(1), key(2)], derivedCount: 0, createdAt: '', updatedAt: '' })
      assert.deepEqual(await t.vault.pairs.get(uuid(1)), pair)
      const rows = await auditRows(`pair:${uuid(1)}`)
      assert.deepEqual(rows.map((r) => [r.action, r.actor]), [['pair.create', 'test']])
      assert.deepEqual(JSON.parse(rows[0]!.details), { derivedCount: 0, keys: 3, label: 'phone', local: false })
    })

    test('a generated uuid when none is given; a duplicate uuid is a conflict and writes nothing', async () => {
      const generated = await t.vault.pairs.create({ publicKeys: [key(3)] })
      assert.match(generated.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      assert.equal(generated.publicKey, undefined)
      const before = await counts()
      await assert.rejects(t.vault.pairs.create({ uuid: uuid(1), publicKey: key(9) }), { code: 'COFFRE_CONFLICT' })
      assert.deepEqual(await counts(), before)
    })

    test('add/remove keys: no duplicate of publicKey or of a listed key, main key not removable; each change audited', async () => {
      const subject = `pair:${uuid(1)}`
      const auditBefore = (await auditRows(subject)).length
      let pair = await t.vault.pairs.addKeys(uuid(1), [key(4), key(0), key(1), key(4)], { actor: 'test' })
      assert.deepEqual(pair.publicKeys, [key(1), key(2), key(4)])
      pair = await t.vault.pairs.removeKeys(uuid(1), [key(1)], { actor: 'test' })
      assert.deepEqual(pair.publicKeys, [key(2), key(4)])
      await assert.rejects(t.vault.pairs.removeKeys(uuid(1), [key(0)]), { code: 'COFFRE_INVALID_INPUT' })
      const unchanged = await t.vault.pairs.removeKeys(uuid(1), [key(7)])
      assert.deepEqual(unchanged.publicKeys, [key(2), key(4)])
      const rows = (await auditRows(subject)).slice(auditBefore)
      assert.deepEqual(rows.map((r) => [r.action, JSON.parse(r.details).publicKey]), [['pair.key.add', key(4)], ['pair.key.remove', key(1)]])
    })

    test("the seed's two-argument addPairPublicKey on the vault, and the exported 3-argument form with vault.pairs.repository", async () => {
      const viaVault = await t.vault.pairs.addPairPublicKey(uuid(1), key(5))
      assert.deepEqual(viaVault.publicKeys, [key(2), key(4), key(5)])
      const viaExport = await addPairPublicKey(uuid(1), key(6).toUpperCase(), t.vault.pairs.repository)
      assert.deepEqual(viaExport.publicKeys, [key(2), key(4), key(5), key(6)])
      assert.deepEqual((await t.vault.pairs.get(uuid(1)))?.publicKeys, [key(2), key(4), key(5), key(6)])
      assert.equal(JSON.stringify(viaExport).includes('readKeys'), false)
      await assert.rejects(t.vault.pairs.addPairPublicKey(uuid(99), key(5)), { code: 'COFFRE_NOT_FOUND' })
    })

    test('concurrent additions (vault 2-arg, 3-arg with the repository, addKeys) all land, each audited once', async () => {
      const pair = await t.vault.pairs.create({ uuid: uuid(2), publicKey: key(10) })
      const keys = Array.from({ length: 24 }, (_, i) => key(100 + i))
      await Promise.all(
        keys.map((k, i) =>
          i % 3 === 0 ? t.vault.pairs.addPairPublicKey(pair.uuid, k) : i % 3 === 1 ? addPairPublicKey(pair.uuid, k, t.vault.pairs.repository) : t.vault.pairs.addKeys(pair.uuid, [k]),
        ),
      )
      const stored = await t.vault.pairs.get(pair.uuid)
      assert.deepEqual([...(stored?.publicKeys ?? [])].sort(), [...keys].sort())
      const adds = (await auditRows(`pair:${uuid(2)}`)).filter((r) => r.action === 'pair.key.add')
      assert.deepEqual(adds.map((r) => JSON.parse(r.details).publicKey).sort(), [...keys].sort())
      // concurrent removals of half and additions of new keys: nothing lost either way
      const more = Array.from({ length: 8 }, (_, i) => key(200 + i))
      await Promise.all([...keys.slice(0, 12).map((k) => t.vault.pairs.removeKeys(pair.uuid, [k])), ...more.map((k) => t.vault.pairs.addPairPublicKey(pair.uuid, k))])
      assert.deepEqual([...((await t.vault.pairs.get(pair.uuid))?.publicKeys ?? [])].sort(), [...keys.slice(12), ...more].sort())
      assert.equal((await t.vault.audit.verify()).ok, true)
    })

    test('list pages in uuid order; delete removes the pair and its keys, audited; unknown uuid is not found', async () => {
      const first = await t.vault.pairs.list({ limit: 2 })
      assert.equal(first.pairs.length, 2)
      assert.ok(first.nextCursor !== null)
      const rest = await t.vault.pairs.list({ limit: 500, cursor: first.nextCursor })
      const all = [...first.pairs, ...rest.pairs].map((p) => p.uuid)
      assert.deepEqual(all, [...all].sort())
      assert.equal(all.length, 3)
      const deleted = await t.vault.pairs.delete(uuid(2), { actor: 'test' })
      assert.equal(deleted.uuid, uuid(2))
      assert.equal(await t.vault.pairs.get(uuid(2)), null)
      const left = await db().selectFrom('pair_public_keys').select('public_key').where('pair_uuid', '=', uuid(2)).execute()
      assert.equal(left.length, 0)
      assert.equal((await auditRows(`pair:${uuid(2)}`)).at(-1)?.action, 'pair.delete')
      await assert.rejects(t.vault.pairs.delete(uuid(2)), { code: 'COFFRE_NOT_FOUND' })
    })

    test('remote contains and publicKeys follow the seed (publicKey ∪ publicKeys)', async () => {
      assert.equal(await t.vault.pairs.contains(uuid(1), key(0)), true)
      assert.equal(await t.vault.pairs.contains(uuid(1), key(5).toUpperCase()), true)
      assert.equal(await t.vault.pairs.contains(uuid(1), key(1)), false)
      assert.deepEqual(await t.vault.pairs.publicKeys(uuid(1)), [key(0), key(2), key(4), key(5), key(6)])
    })

    test('the local pair: identity public key as publicKey, one per user, no extra keys, cascades with nothing else', async () => {
      const user = await t.vault.users.create({ telegramUserId: 4242 })
      const local = await t.vault.pairs.create({ uuid: uuid(3), user: { telegramUserId: 4242 }, derivedCount: 5, label: 'me' })
      assert.equal(local.userId, user.id)
      assert.equal(local.publicKey, user.identityPublicKey)
      assert.deepEqual(local.publicKeys, [])
      assert.equal(local.derivedCount, 5)
      const rows = await auditRows(`pair:${uuid(3)}`)
      assert.equal(rows[0]?.user_id, user.id)
      const before = await counts()
      await assert.rejects(t.vault.pairs.create({ uuid: uuid(4), user: { id: user.id } }), { code: 'COFFRE_CONFLICT' })
      await assert.rejects(t.vault.pairs.addPairPublicKey(uuid(3), key(1)), { code: 'COFFRE_UNSUPPORTED' })
      await assert.rejects(t.vault.pairs.create({ uuid: uuid(5), user: { id: user.id }, publicKey: key(1) }), { code: 'COFFRE_INVALID_INPUT' })
      await assert.rejects(t.vault.pairs.create({ uuid: uuid(6), user: { telegramUserId: 999999 } }), { code: 'COFFRE_NOT_FOUND' })
      assert.deepEqual(await counts(), before)
    })

    test('bad inputs are typed errors and write nothing', async () => {
      const before = await counts()
      const bad: Array<[string, () => Promise<unknown>]> = [
        ['uuid', () => t.vault.pairs.create({ uuid: 'not-a-uuid', publicKey: key(1) })],
        ['label', () => t.vault.pairs.create({ label: 'x'.repeat(129) })],
        ['key shape', () => t.vault.pairs.create({ publicKey: key(1).slice(2) })],
        ['key off curve', () => t.vault.pairs.create({ publicKey: `02${'00'.repeat(32)}` })],
        ['keys not array', () => t.vault.pairs.create({ publicKeys: key(1) as never })],
        ['derivedCount remote', () => t.vault.pairs.create({ publicKey: key(1), derivedCount: 3 })],
        ['add bad key', () => t.vault.pairs.addKeys(uuid(1), [key(8), 'zz'])],
        ['add none', () => t.vault.pairs.addKeys(uuid(1), [])],
        ['add 2-arg bad key', () => t.vault.pairs.addPairPublicKey(uuid(1), '02')],
        ['contains maxDerived', () => t.vault.pairs.contains(uuid(1), key(1), -1)],
        ['list limit', () => t.vault.pairs.list({ limit: 0 })],
      ]
      for (const [name, call] of bad) await assert.rejects(call(), { code: 'COFFRE_INVALID_INPUT' }, name)
      assert.deepEqual(await counts(), before)
    })
  })
}
