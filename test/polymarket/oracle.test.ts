/**
 * Property tests against the official @polymarket/clob-client-v2 as an oracle: for random
 * inputs, our L1 headers, L2 headers, order amounts, signed orders and POST /order bodies
 * equal the client's byte for byte (its clock and salt pinned so both are deterministic).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as official from '@polymarket/clob-client-v2'
import fc from 'fast-check'
import { secp256k1 } from '../../src/crypto/secp256k1.ts'
import { buildLimitOrderV2, buildMarketOrderV2, type OrderType } from '../../src/polymarket/buildOrderV2.ts'
import { privateKeySigner } from '../../src/polymarket/evmSigner.ts'
import { createL1Headers } from '../../src/polymarket/l1Headers.ts'
import { createL2Headers } from '../../src/polymarket/l2Headers.ts'
import type { TickSize } from '../../src/polymarket/orderAmounts.ts'
import { orderPayloadV2, serializeOrderPayload } from '../../src/polymarket/orderPayload.ts'
import { proxyWalletAddress, safeWalletAddress } from '../../src/polymarket/walletAddresses.ts'
import { officialWallet, withPinnedClock } from './officialClient.ts'

const runs = { numRuns: 100 }
const privateKey = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => secp256k1.privateKeyVerify(k))
const chainId = fc.constantFrom(137, 80002)
const tickSizes: TickSize[] = ['0.1', '0.01', '0.005', '0.0025', '0.001', '0.0001']
const hexOf = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString('hex')}` as const

/** A price in [tick, 1 − tick] with up to two more decimals than the tick, to exercise rounding. */
const tickAndPrice = fc.constantFrom(...tickSizes).chain((tickSize) => {
  const tick = parseFloat(tickSize)
  const decimals = tickSize.length - 2 + 2
  const scale = 10 ** decimals
  const min = Math.ceil(tick * scale)
  const max = Math.floor((1 - tick) * scale)
  return fc.integer({ min, max }).map((k) => ({ tickSize, price: k / scale }))
})

const orderCase = fc.record({
  key: privateKey,
  chainId,
  tp: tickAndPrice,
  size: fc.oneof(fc.integer({ min: 1, max: 10_000_000 }).map((n) => n / 1000), fc.integer({ min: 1, max: 100_000 }).map((n) => n / 100)),
  side: fc.constantFrom('BUY' as const, 'SELL' as const),
  negRisk: fc.boolean(),
  tokenId: fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }).map(String),
  signatureType: fc.constantFrom(0 as const, 1 as const, 2 as const),
  nowMs: fc.integer({ min: 1_700_000_000_000, max: 2_000_000_000_000 }),
  random: fc.double({ min: 0, max: 1, noNaN: true }),
  orderType: fc.constantFrom<OrderType>('GTC', 'FOK', 'FAK'),
  postOnly: fc.boolean(),
}).map((c) => (c.chainId === 80002 && c.signatureType === 1 ? { ...c, signatureType: 2 as const } : c)) // no proxy factory on Amoy

function makerFor(signatureType: 0 | 1 | 2, address: string, chainId: number): string | undefined {
  if (signatureType === 1) return proxyWalletAddress(address, chainId)
  if (signatureType === 2) return safeWalletAddress(address, chainId)
  return undefined
}

describe('oracle: @polymarket/clob-client-v2', () => {
  it('L1 headers are identical', async () => {
    await fc.assert(
      fc.asyncProperty(privateKey, chainId, fc.integer({ min: 0, max: 2 ** 40 }), fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }), async (key, chain, ts, nonce) => {
        const signer = privateKeySigner(key)
        const ours = await createL1Headers(signer, { chainId: chain, timestamp: ts, nonce })
        const theirs = await official.createL1Headers(officialWallet(hexOf(key), chain) as never, chain, Number(nonce), ts)
        assert.deepEqual(ours, theirs)
      }),
      runs,
    )
  })

  it('L2 headers are identical (secrets in base64url with padding)', async () => {
    await fc.assert(
      fc.asyncProperty(
        privateKey,
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.constantFrom('GET', 'POST', 'DELETE'),
        fc.stringMatching(/^\/[a-z0-9/_-]{0,30}$/),
        fc.option(fc.string({ unit: 'grapheme', maxLength: 200 }), { nil: undefined }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        async (key, secretBytes, method, path, body, ts) => {
          const secret = Buffer.from(secretBytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
          const creds = { key: '00000000-0000-0000-0000-000000000000', secret, passphrase: 'p'.repeat(64) }
          const wallet = officialWallet(hexOf(key), 137)
          const ours = createL2Headers(creds, { address: wallet.account.address, method, path, body, timestamp: ts })
          const theirs = await official.createL2Headers(wallet as never, creds, { method, requestPath: path, body }, ts)
          assert.deepEqual(ours, theirs)
        },
      ),
      runs,
    )
  })

  it('limit orders: amounts, signatures and POST /order bodies are identical', async () => {
    await fc.assert(
      fc.asyncProperty(orderCase, async (c) => {
        const signer = privateKeySigner(c.key)
        const maker = makerFor(c.signatureType, signer.address, c.chainId)
        const builder = new official.OrderBuilder(officialWallet(hexOf(c.key), c.chainId) as never, c.chainId, c.signatureType, maker)
        const userOrder = { tokenID: c.tokenId, price: c.tp.price, size: c.size, side: c.side as official.Side }
        const theirs = await withPinnedClock(c.nowMs, c.random, () =>
          builder.buildOrder(userOrder, { tickSize: c.tp.tickSize, negRisk: c.negRisk }, 2),
        )
        const args = { ...c, tickSize: c.tp.tickSize, price: c.tp.price, salt: theirs.salt, timestamp: c.nowMs }
        if (theirs.makerAmount === '0' || theirs.takerAmount === '0') {
          await assert.rejects(buildLimitOrderV2(signer, args), { code: 'COFFRE_INVALID_INPUT' })
          return
        }
        const ours = await buildLimitOrderV2(signer, args)
        assert.deepEqual({ ...ours.order }, { ...theirs })
        const postOnly = c.orderType === 'GTC' && c.postOnly
        const ourBody = serializeOrderPayload(orderPayloadV2(ours.order, 'owner-key', c.orderType, { postOnly }))
        const theirBody = JSON.stringify(official.orderToJsonV2(theirs as never, 'owner-key', c.orderType as official.OrderType, postOnly, false))
        assert.equal(ourBody, theirBody)
      }),
      runs,
    )
  })

  it('market orders: amounts and signatures are identical', async () => {
    await fc.assert(
      fc.asyncProperty(orderCase, async (c) => {
        const signer = privateKeySigner(c.key)
        const builder = new official.OrderBuilder(officialWallet(hexOf(c.key), c.chainId) as never, c.chainId)
        const userOrder = { tokenID: c.tokenId, price: c.tp.price, amount: c.size, side: c.side as official.Side }
        const theirs = await withPinnedClock(c.nowMs, c.random, () =>
          builder.buildMarketOrder(userOrder, { tickSize: c.tp.tickSize, negRisk: c.negRisk }, 2),
        )
        const args = { ...c, signatureType: 0 as const, tickSize: c.tp.tickSize, price: c.tp.price, amount: c.size, salt: theirs.salt, timestamp: c.nowMs }
        if (theirs.makerAmount === '0' || theirs.takerAmount === '0') {
          await assert.rejects(buildMarketOrderV2(signer, args), { code: 'COFFRE_INVALID_INPUT' })
          return
        }
        const ours = await buildMarketOrderV2(signer, args)
        assert.deepEqual({ ...ours.order }, { ...theirs })
      }),
      runs,
    )
  })
})
