import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { SECP256K1_ORDER } from '../../src/derive/curveOrder.ts'
import { derivationIndex as index, privateKeyHex } from './derivationArbitraries.ts'
import { deriveChildKeyPair } from '../../src/derive/deriveChildKeyPair.ts'
import vectorFile from './deriveVectors.json' with { type: 'json' }
import { getDerivedPublicKeys } from '../../src/derive/getDerivedPublicKeys.ts'
import { referenceChildKeyPair, referenceMainPublicKey } from './referenceDerivation.ts'

describe('deriveChildKeyPair', () => {
  it('matches the committed known answers (deriveVectors.json)', () => {
    for (const vector of vectorFile.vectors) {
      assert.deepEqual(getDerivedPublicKeys(vector.parentPrivateKey, 0), [vector.mainPublicKey])
      for (const child of vector.children) {
        assert.deepEqual(deriveChildKeyPair(vector.parentPrivateKey, child.index), { privateKey: child.privateKey, publicKey: child.publicKey })
      }
    }
  })

  it('the vectors file agrees with the pure-JS reference (so it was produced as it says)', () => {
    for (const vector of vectorFile.vectors) {
      assert.equal(referenceMainPublicKey(vector.parentPrivateKey), vector.mainPublicKey)
      for (const child of vector.children) {
        assert.deepEqual(referenceChildKeyPair(vector.parentPrivateKey, child.index), { privateKey: child.privateKey, publicKey: child.publicKey })
      }
    }
  })

  it('native (node:crypto + libsecp256k1) equals pure JS (@noble) on random parents and indices', () => {
    fc.assert(
      fc.property(privateKeyHex, index, (parent, i) => {
        assert.deepEqual(deriveChildKeyPair(parent, i), referenceChildKeyPair(parent, i))
      }),
      { numRuns: 2000 },
    )
  })

  it('outputs 64 and 66 lowercase hex, the private key in [1, n − 1], the public key its compressed point', () => {
    fc.assert(
      fc.property(privateKeyHex, index, (parent, i) => {
        const pair = deriveChildKeyPair(parent, i)
        assert.match(pair.privateKey, /^[0-9a-f]{64}$/)
        assert.match(pair.publicKey, /^0[23][0-9a-f]{64}$/)
        const scalar = BigInt(`0x${pair.privateKey}`)
        assert.ok(scalar >= 1n && scalar < SECP256K1_ORDER)
        assert.equal(getDerivedPublicKeys(pair.privateKey, 0)[0], pair.publicKey)
      }),
      { numRuns: 300 },
    )
  })

  it('is deterministic and index-sensitive: index 0, 1, 10 and 2^53 − 1 all differ', () => {
    const parent = 'ab'.repeat(32)
    const pairs = [0, 1, 10, Number.MAX_SAFE_INTEGER].map((i) => deriveChildKeyPair(parent, i))
    assert.deepEqual(deriveChildKeyPair(parent, 0), pairs[0])
    assert.equal(new Set(pairs.map((pair) => pair.publicKey)).size, 4)
  })

  it('accepts the parent in upper case and with 0x / 0X, with the same result', () => {
    fc.assert(
      fc.property(privateKeyHex, fc.nat(), (parent, i) => {
        const expected = deriveChildKeyPair(parent, i)
        assert.deepEqual(deriveChildKeyPair(parent.toUpperCase(), i), expected)
        assert.deepEqual(deriveChildKeyPair(`0x${parent}`, i), expected)
        assert.deepEqual(deriveChildKeyPair(`0X${parent.toUpperCase()}`, i), expected)
      }),
      { numRuns: 100 },
    )
  })
})
