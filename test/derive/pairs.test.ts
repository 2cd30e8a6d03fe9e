import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { deriveChildKeyPair } from '../../src/derive/deriveChildKeyPair.ts'
import { createDerivedKeyIndex } from '../../src/derive/derivedKeyIndex.ts'
import { getDerivedPublicKeys } from '../../src/derive/getDerivedPublicKeys.ts'
import { getPairPublicKeys } from '../../src/derive/getPairPublicKeys.ts'
import type { PairConfig } from '../../src/derive/pairConfig.ts'
import { pairContainsPublicKey } from '../../src/derive/pairContainsPublicKey.ts'
import { addPairPublicKey, createPairOperations, type PairRepository } from '../../src/derive/pairOperations.ts'
import { withoutPairPublicKey, withPairPublicKey } from '../../src/derive/pairPublicKeyEdits.ts'

const IDENTITY = '3d'.repeat(32)
const [MAIN, D0, D1, D2] = getDerivedPublicKeys(IDENTITY, 3) as [string, string, string, string]
const other = (i: number): string => deriveChildKeyPair('44'.repeat(32), i).publicKey
const LOCAL: PairConfig = { uuid: 'local', label: 'me', publicKey: MAIN }
const REMOTE: PairConfig = { uuid: 'remote', publicKey: other(0).toUpperCase(), publicKeys: [other(1), `0x${other(2)}`, other(1), other(0)] }

/** A real (in-memory) repository, as a test double for the store that will implement PairRepository. */
class MemoryPairs implements PairRepository {
  readonly pairs = new Map<string, PairConfig>()
  saves = 0
  async get(uuid: string): Promise<PairConfig | undefined> {
    const pair = this.pairs.get(uuid)
    return pair === undefined ? undefined : structuredClone(pair)
  }
  async save(pair: PairConfig): Promise<void> {
    this.saves++
    this.pairs.set(pair.uuid, structuredClone(pair))
  }
}

describe('getPairPublicKeys', () => {
  it('local pair with its private key: main + derived(0 … derivedCount − 1)', () => {
    assert.deepEqual(getPairPublicKeys(LOCAL, IDENTITY, 3), [MAIN, D0, D1, D2])
    assert.deepEqual(getPairPublicKeys(LOCAL, `0x${IDENTITY.toUpperCase()}`), [MAIN])
  })
  it('remote pair: publicKey then publicKeys, lowercase, deduplicated', () => {
    assert.deepEqual(getPairPublicKeys(REMOTE), [other(0), other(1), other(2)])
    assert.deepEqual(getPairPublicKeys({ uuid: 'empty' }), [])
    assert.deepEqual(getPairPublicKeys({ uuid: 'extra only', publicKeys: [D1] }), [D1])
  })
})

describe('pairContainsPublicKey', () => {
  it('local: bounded derivation, with or without an index', () => {
    const index = createDerivedKeyIndex()
    for (const idx of [undefined, index]) {
      assert.equal(pairContainsPublicKey(LOCAL, MAIN.toUpperCase(), IDENTITY, 0, idx), true)
      assert.equal(pairContainsPublicKey(LOCAL, D2, IDENTITY, 2, idx), false)
      assert.equal(pairContainsPublicKey(LOCAL, D2, IDENTITY, 3, idx), true)
      assert.equal(pairContainsPublicKey(LOCAL, other(0), IDENTITY, 3, idx), false)
    }
  })
  it('remote: membership in publicKey / publicKeys, case- and 0x-insensitive', () => {
    assert.equal(pairContainsPublicKey(REMOTE, other(0)), true)
    assert.equal(pairContainsPublicKey(REMOTE, `0x${other(2).toUpperCase()}`), true)
    assert.equal(pairContainsPublicKey(REMOTE, other(3)), false)
    assert.equal(pairContainsPublicKey(REMOTE, MAIN, undefined, 100), false)
  })
  it('always agrees with getPairPublicKeys(…).includes', () => {
    const keys = [MAIN, D0, D1, D2, other(0), other(1), other(2), other(3)]
    fc.assert(
      fc.property(fc.constantFrom(LOCAL, REMOTE), fc.constantFrom(...keys), fc.boolean(), fc.nat({ max: 4 }), (pair, key, local, max) => {
        const secret = local ? IDENTITY : undefined
        assert.equal(pairContainsPublicKey(pair, key, secret, max), getPairPublicKeys(pair, secret, max).includes(key))
      }),
      { numRuns: 100 },
    )
  })
})

describe('withPairPublicKey / withoutPairPublicKey', () => {
  it('adds a key once, never duplicating publicKey or a listed key, and normalises to lowercase', () => {
    const added = withPairPublicKey(REMOTE, `0X${other(3).toUpperCase()}`)
    assert.deepEqual(added, { uuid: 'remote', publicKey: other(0), publicKeys: [other(1), other(2), other(3)] })
    assert.deepEqual(withPairPublicKey(added, other(3)), added)
    assert.deepEqual(withPairPublicKey(added, other(0).toUpperCase()), added)
    assert.deepEqual(withPairPublicKey({ uuid: 'x' }, D0), { uuid: 'x', publicKeys: [D0] })
    assert.deepEqual(REMOTE.publicKeys?.length, 4, 'the input pair is not mutated')
  })
  it('removes a listed key; refuses to remove the main key', () => {
    assert.deepEqual(withoutPairPublicKey(REMOTE, other(1).toUpperCase()), { uuid: 'remote', publicKey: other(0), publicKeys: [other(2)] })
    assert.deepEqual(withoutPairPublicKey({ uuid: 'x' }, D0), { uuid: 'x' })
    assert.deepEqual(withPairPublicKey({ uuid: 'x', publicKey: D0 }, D0), { uuid: 'x', publicKey: D0 })
    assert.throws(() => withoutPairPublicKey(REMOTE, other(0)), { code: 'COFFRE_INVALID_INPUT' })
  })
  it('add then contains; remove then not (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 20 }), (i) => {
        const key = other(i + 3)
        const added = withPairPublicKey(LOCAL, key)
        assert.equal(pairContainsPublicKey(added, key), true)
        assert.equal(pairContainsPublicKey(withoutPairPublicKey(added, key), key), false)
      }),
      { numRuns: 30 },
    )
  })
})

describe('addPairPublicKey through a repository', () => {
  it('loads, edits and saves; saves nothing when the key is already there', async () => {
    const repository = new MemoryPairs()
    repository.pairs.set('remote', REMOTE)
    const pairs = createPairOperations(repository)
    const updated = await pairs.addPairPublicKey('remote', other(5))
    assert.deepEqual(updated.publicKeys, [other(1), other(2), other(5)])
    assert.deepEqual(await repository.get('remote'), updated)
    assert.equal(repository.saves, 1)
    await pairs.addPairPublicKey('remote', other(5).toUpperCase())
    await pairs.addPairPublicKey('remote', other(0))
    assert.equal(repository.saves, 1)
    await pairs.removePairPublicKey('remote', other(5))
    assert.deepEqual((await repository.get('remote'))?.publicKeys, [other(1), other(2)])
  })
  it('an unknown pair is COFFRE_NOT_FOUND; a repository answering for another uuid is refused', async () => {
    await assert.rejects(addPairPublicKey('nope', D0, new MemoryPairs()), { code: 'COFFRE_NOT_FOUND' })
    await assert.rejects(addPairPublicKey('a', D0, { get: () => ({ uuid: 'b' }), save: () => undefined }), { code: 'COFFRE_INTERNAL' })
  })
  it('two repositories, two independent operation sets (no shared state)', async () => {
    const first = new MemoryPairs()
    const second = new MemoryPairs()
    first.pairs.set('p', { uuid: 'p' })
    second.pairs.set('p', { uuid: 'p' })
    await createPairOperations(first).addPairPublicKey('p', D0)
    assert.deepEqual((await first.get('p'))?.publicKeys, [D0])
    assert.equal((await second.get('p'))?.publicKeys, undefined)
  })
})
