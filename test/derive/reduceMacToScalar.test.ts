import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { SECP256K1_ORDER as n } from '../../src/derive/curveOrder.ts'
import { reduceMacToScalar } from '../../src/derive/reduceMacToScalar.ts'

const bytesOf = (value: bigint): Uint8Array => Uint8Array.from(Buffer.from(value.toString(16).padStart(64, '0'), 'hex'))
const valueOf = (bytes: Uint8Array): bigint => BigInt(`0x${Buffer.from(bytes).toString('hex')}`)

describe('reduceMacToScalar: mac mod (n − 1) + 1', () => {
  const edges: [string, bigint, bigint][] = [
    ['0', 0n, 1n],
    ['1', 1n, 2n],
    ['n − 2', n - 2n, n - 1n],
    ['n − 1', n - 1n, 1n],
    ['n', n, 2n],
    ['n + 1', n + 1n, 3n],
    ['2^256 − 1', 2n ** 256n - 1n, ((2n ** 256n - 1n) % (n - 1n)) + 1n],
  ]
  for (const [name, mac, expected] of edges) {
    it(`maps mac = ${name} into [1, n − 1]`, () => {
      const scalar = valueOf(reduceMacToScalar(bytesOf(mac)))
      assert.equal(scalar, expected)
      assert.ok(scalar >= 1n && scalar <= n - 1n)
    })
  }

  it('2^256 − 1 lands at 2^256 − n + 1, a small scalar just above 2^128', () => {
    assert.equal(valueOf(reduceMacToScalar(bytesOf(2n ** 256n - 1n))), 2n ** 256n - n + 1n)
  })

  it('always returns 32 bytes in [1, n − 1] for any 32-byte mac', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (mac) => {
        const scalar = reduceMacToScalar(mac)
        assert.equal(scalar.length, 32)
        assert.equal(valueOf(scalar), (valueOf(mac) % (n - 1n)) + 1n)
      }),
      { numRuns: 2000 },
    )
  })

  it('rejects a mac that is not 32 bytes', () => {
    for (const bad of [new Uint8Array(31), new Uint8Array(33), 'ab'.repeat(32), null]) {
      assert.throws(() => reduceMacToScalar(bad as Uint8Array), { code: 'COFFRE_INVALID_INPUT' })
    }
  })
})
