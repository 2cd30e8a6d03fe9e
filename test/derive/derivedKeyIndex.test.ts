import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { deriveChildKeyPair } from '../../src/derive/deriveChildKeyPair.ts'
import { createDerivedKeyIndex } from '../../src/derive/derivedKeyIndex.ts'
import { findPublicKeyInIdentity } from '../../src/derive/findPublicKeyInIdentity.ts'
import { getDerivedPublicKeys } from '../../src/derive/getDerivedPublicKeys.ts'
import { publicKeyBelongsToIdentity } from '../../src/derive/publicKeyBelongsToIdentity.ts'
import { referenceFind } from './referenceDerivation.ts'

const K = 40 // derived keys per test identity
const parents = ['01'.repeat(32), '7f'.repeat(32), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']
const keysOf = new Map(parents.map((parent) => [parent, getDerivedPublicKeys(parent, K)])) // [main, d0 … d(K−1)]
const outsider = deriveChildKeyPair('22'.repeat(32), 0).publicKey
const keyList = (parent: string): string[] => keysOf.get(parent) ?? []

/** A query: the main key, derived(j) for j around the range, or a key of nobody here. */
const query = fc.record({
  parent: fc.constantFrom(...parents),
  keyOf: fc.constantFrom(...parents),
  pick: fc.oneof(fc.nat({ max: K }), fc.constant(-1)),
  maxDerived: fc.oneof(fc.nat({ max: K + 5 }), fc.constantFrom(0, 1, K - 1, K)),
  upper: fc.boolean(),
})

describe('DerivedKeyIndex gives the linear definition’s answers', () => {
  it('on random query sequences, whatever the cap (eviction, partial coverage, tail scans)', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1, 2, 10, 25, 41, 1000), fc.array(query, { minLength: 1, maxLength: 8 }), (maxKeys, queries) => {
        const index = createDerivedKeyIndex({ maxKeys })
        for (const q of queries) {
          const key = q.pick === -1 ? outsider : (keyList(q.keyOf)[q.pick] as string)
          const asked = q.upper ? key.toUpperCase() : key
          const linear = findPublicKeyInIdentity(q.parent, asked, q.maxDerived)
          assert.deepEqual(index.find(q.parent, asked, q.maxDerived), linear)
          assert.equal(publicKeyBelongsToIdentity(q.parent, asked, q.maxDerived, index), linear !== null)
          assert.ok(index.stats().keys <= maxKeys)
        }
      }),
      { numRuns: 120 },
    )
  })

  it('the native linear check equals the pure-JS one (noble)', () => {
    fc.assert(
      fc.property(query, (q) => {
        const key = q.pick === -1 ? outsider : (keyList(q.keyOf)[q.pick] as string)
        const maxDerived = Math.min(q.maxDerived, 12)
        assert.deepEqual(findPublicKeyInIdentity(q.parent, key, maxDerived), referenceFind(q.parent, key, maxDerived))
      }),
      { numRuns: 25 },
    )
  })

  it('a derived key with index ≥ maxDerived does not count even when already indexed', () => {
    const parent = parents[0] as string
    const index = createDerivedKeyIndex()
    index.prepare(parent, K)
    const d30 = keyList(parent)[31] as string
    assert.equal(index.find(parent, d30, 30), null)
    assert.equal(index.find(parent, d30, 31), 30)
    assert.equal(index.find(parent, d30, 0), null)
    assert.equal(index.find(parent, keyList(parent)[0] as string, 0), 'main')
    assert.equal(findPublicKeyInIdentity(parent, d30, 30), null)
    assert.equal(findPublicKeyInIdentity(parent, d30, 31), 30)
  })

  it('answers beyond its cap by scanning the rest, without holding more than maxKeys', () => {
    const parent = parents[1] as string
    const index = createDerivedKeyIndex({ maxKeys: 10 })
    assert.equal(index.find(parent, keyList(parent)[36] as string, K), 35)
    assert.equal(index.find(parent, keyList(parent)[5] as string, K), 4)
    assert.equal(index.find(parent, outsider, K), null)
    assert.deepEqual(index.stats(), { identities: 1, keys: 10, maxKeys: 10, bytes: index.stats().bytes })
  })
})

describe('DerivedKeyIndex bookkeeping', () => {
  it('findByMainPublicKey answers from the index alone, and says undefined when it cannot know', () => {
    const [a, b] = parents as [string, string]
    const index = createDerivedKeyIndex()
    const mainA = keyList(a)[0] as string
    assert.equal(index.findByMainPublicKey(mainA, keyList(a)[3] as string, 10), undefined)
    assert.equal(index.findByMainPublicKey(mainA, mainA, 10), 'main')
    assert.equal(index.findByMainPublicKey(mainA, outsider, 0), null)
    assert.equal(index.prepare(a, 20), mainA)
    assert.equal(index.findByMainPublicKey(mainA, keyList(a)[3] as string, 10), 2)
    assert.equal(index.findByMainPublicKey(mainA.toUpperCase(), keyList(a)[3] as string, 2), null)
    assert.equal(index.findByMainPublicKey(mainA, keyList(a)[30] as string, 35), undefined) // only 20 indexed
    assert.equal(index.findByMainPublicKey(mainA, outsider, 20), null)
    assert.equal(index.findByMainPublicKey(mainA, outsider, 21), undefined)
    assert.equal(index.findByMainPublicKey(mainA, keyList(b)[1] as string, 20), null)
  })

  it('evicts the least recently used identity first and keeps the total under maxKeys', () => {
    const [a, b, c] = parents as [string, string, string]
    const index = createDerivedKeyIndex({ maxKeys: 25 })
    index.prepare(a, 10)
    index.prepare(b, 10)
    index.find(a, outsider, 10) // a is now the most recently used
    index.prepare(c, 10)
    const main = (parent: string): string => keyList(parent)[0] as string
    assert.equal(index.findByMainPublicKey(main(b), keyList(b)[2] as string, 10), undefined)
    assert.equal(index.findByMainPublicKey(main(a), keyList(a)[2] as string, 10), 1)
    assert.equal(index.findByMainPublicKey(main(c), keyList(c)[2] as string, 10), 1)
    assert.deepEqual({ ...index.stats(), bytes: 0 }, { identities: 2, keys: 22, maxKeys: 25, bytes: 0 })
    index.clear()
    assert.equal(index.stats().keys, 0)
  })

  it('keys identities by main public key and holds no private key', () => {
    const secret = parents[2] as string
    const index = createDerivedKeyIndex()
    const id = index.prepare(`0x${secret.toUpperCase()}`, 5)
    assert.equal(id, keyList(secret)[0])
    const seen = JSON.stringify(index.stats()) + String(index.find) + Object.keys(index).join()
    assert.ok(!seen.toLowerCase().includes(secret))
  })

  it('rejects a bad maxKeys', () => {
    for (const maxKeys of [-1, 1.5, Number.NaN, '10', 2 ** 53]) {
      assert.throws(() => createDerivedKeyIndex({ maxKeys: maxKeys as number }), { code: 'COFFRE_INVALID_INPUT' })
    }
    assert.throws(() => createDerivedKeyIndex(null as never), { code: 'COFFRE_INVALID_INPUT' })
  })
})

describe('append: keys derived elsewhere are indexed without the private key', () => {
  const parent = parents[0] as string
  const [main, ...derived] = keyList(parent) as [string, ...string[]]
  const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'))

  it('indexes contiguous ranges and answers from them', () => {
    const index = createDerivedKeyIndex()
    assert.equal(index.append(main, 0, derived.slice(0, 10).map(bytes)), true)
    assert.equal(index.append(main, 10, derived.slice(10, 20).map(bytes)), true)
    assert.equal(index.indexedCount(main), 20)
    assert.equal(index.findByMainPublicKey(main, derived[15] as string, 20), 15)
    assert.equal(index.findByMainPublicKey(main, derived[15] as string, 15), null, 'below maxDerived only')
    assert.equal(index.findByMainPublicKey(main, derived[25] as string, 30), undefined, 'not indexed that far: unknown, not "no"')
  })

  it('refuses a range that would leave a gap or overlap, and wrong-shaped keys', () => {
    const index = createDerivedKeyIndex()
    assert.equal(index.append(main, 5, derived.slice(5, 10).map(bytes)), false, 'nothing indexed below 5')
    assert.equal(index.indexedCount(main), 0)
    assert.equal(index.append(main, 0, derived.slice(0, 10).map(bytes)), true)
    assert.equal(index.append(main, 8, derived.slice(8, 12).map(bytes)), false, 'overlap')
    assert.throws(() => index.append(main, 10, [new Uint8Array(32)]), { code: 'COFFRE_INVALID_INPUT' })
    assert.equal(index.indexedCount(main), 10)
  })

  it('counts appended keys against maxKeys and evicts the least recently used identity', () => {
    const index = createDerivedKeyIndex({ maxKeys: 25 })
    const [otherMain, ...otherDerived] = keyList(parents[1] as string) as [string, ...string[]]
    assert.equal(index.append(main, 0, derived.slice(0, 10).map(bytes)), true)
    assert.equal(index.append(otherMain, 0, otherDerived.slice(0, 10).map(bytes)), true)
    assert.equal(index.stats().keys, 22)
    assert.equal(index.append(otherMain, 10, otherDerived.slice(10, 20).map(bytes)), true)
    assert.equal(index.indexedCount(main), 0, 'the older identity was evicted to make room')
    assert.equal(index.stats().keys, 21)
  })
})
