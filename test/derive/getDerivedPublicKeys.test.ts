import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { deriveChildKeyPair } from '../../src/derive/deriveChildKeyPair.ts'
import { privateKeyHex } from './derivationArbitraries.ts'
import { getDerivedPublicKeys } from '../../src/derive/getDerivedPublicKeys.ts'
import { referenceMainPublicKey } from './referenceDerivation.ts'

describe('getDerivedPublicKeys', () => {
  it('returns [main, derived(0) … derived(count − 1)], length 1 + count', () => {
    fc.assert(
      fc.property(privateKeyHex, fc.nat({ max: 12 }), (parent, count) => {
        const keys = getDerivedPublicKeys(parent, count)
        assert.equal(keys.length, 1 + count)
        assert.equal(keys[0], referenceMainPublicKey(parent))
        for (let i = 0; i < count; i++) assert.equal(keys[i + 1], deriveChildKeyPair(parent, i).publicKey)
      }),
      { numRuns: 60 },
    )
  })

  it('count 0 gives the main key only; input case and 0x do not matter', () => {
    const parent = 'c0ffee'.padEnd(64, '1')
    assert.deepEqual(getDerivedPublicKeys(parent, 0), [referenceMainPublicKey(parent)])
    assert.deepEqual(getDerivedPublicKeys(`0x${parent.toUpperCase()}`, 3), getDerivedPublicKeys(parent, 3))
  })
})
