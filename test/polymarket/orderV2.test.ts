import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { hashTypedData } from 'viem'
import { hashOrderV2, orderV2TypedData, type OrderV2 } from '../../src/polymarket/orderV2.ts'

const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => `0x${Buffer.from(b).toString('hex')}` as `0x${string}`)
const uint = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }).map(String)
const order = fc.record({
  salt: uint, maker: hex(20), signer: hex(20), tokenId: uint, makerAmount: uint, takerAmount: uint,
  side: fc.constantFrom('BUY' as const, 'SELL' as const), signatureType: fc.constantFrom(0 as const, 1 as const, 2 as const),
  timestamp: uint, metadata: hex(32), builder: hex(32), expiration: uint,
})

describe('hashOrderV2', () => {
  it('equals viem hashTypedData of the same typed data', () => {
    fc.assert(
      fc.property(order, fc.constantFrom(137, 80002), hex(20), (o: OrderV2, chainId, exchange) => {
        assert.equal(hashOrderV2(o, chainId, exchange), hashTypedData(orderV2TypedData(o, chainId, exchange)))
      }),
      { numRuns: 200 },
    )
  })

  it('refuses out-of-range or malformed fields instead of hashing them', () => {
    const base: OrderV2 = { salt: '1', maker: `0x${'11'.repeat(20)}`, signer: `0x${'11'.repeat(20)}`, tokenId: '1', makerAmount: '1', takerAmount: '1', side: 'BUY', signatureType: 0, timestamp: '1', metadata: `0x${'00'.repeat(32)}`, builder: `0x${'00'.repeat(32)}`, expiration: '0' }
    const ex = `0x${'22'.repeat(20)}` as const
    for (const bad of [{ salt: (2n ** 256n).toString() }, { salt: '-1' }, { tokenId: '1.5' }, { maker: '0x12' }, { metadata: '0x00' }, { side: 'HOLD' }, { signatureType: 256 }]) {
      assert.throws(() => hashOrderV2({ ...base, ...bad } as OrderV2, 137, ex), RangeError)
    }
  })
})
