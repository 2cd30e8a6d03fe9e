/** Every public Polymarket function refuses wrong-typed input with a typed error, before any work. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildLimitOrderV2, buildMarketOrderV2 } from '../../src/polymarket/buildOrderV2.ts'
import { createClobClient } from '../../src/polymarket/clobClient.ts'
import { exchangeAddress } from '../../src/polymarket/contracts.ts'
import { privateKeySigner } from '../../src/polymarket/evmSigner.ts'
import { createL1Headers } from '../../src/polymarket/l1Headers.ts'
import { createL2Headers } from '../../src/polymarket/l2Headers.ts'
import { limitOrderAmounts, marketOrderAmounts } from '../../src/polymarket/orderAmounts.ts'
import { orderPayloadV2 } from '../../src/polymarket/orderPayload.ts'
import { createOrderSender } from '../../src/polymarket/orderSender.ts'
import { proxyWalletAddress, safeWalletAddress } from '../../src/polymarket/walletAddresses.ts'
import { createMemoryOutboxStore } from './memoryOutboxStore.ts'

const wrong: unknown[] = [undefined, null, 0, -1, 1.5, NaN, Infinity, '', 'x', true, [], {}, () => 0, Symbol('s'), 10n]
/** A guard's own refusal: COFFRE_INVALID_INPUT, or a TypeError/RangeError saying what the argument must be — never an engine error from using a bad value. */
const ENGINE_ERROR = /Cannot (read|convert|mix|destructure|set)|is not (a function|iterable|defined|a constructor)|undefined|null/
const typed = (e: unknown) => {
  const message = (e as { message?: unknown })?.message
  if (typeof message !== 'string' || ENGINE_ERROR.test(message)) return false
  if ((e as { code?: string }).code === 'COFFRE_INVALID_INPUT') return true
  return (e instanceof TypeError || e instanceof RangeError) && /\b(must|need|needs|expected)\b/.test(message)
}
const signer = privateKeySigner(Buffer.alloc(32, 9))
const limit = { tokenId: '1', side: 'BUY', price: 0.5, size: 10, tickSize: '0.01', negRisk: false, chainId: 137 } as const

describe('input guards', () => {
  it('privateKeySigner', () => {
    for (const w of [...wrong, new Uint8Array(31), new Uint8Array(32), new Uint8Array(32).fill(255)]) assert.throws(() => privateKeySigner(w as Uint8Array), typed)
  })

  it('signDigest refuses non-32-byte digests and a destroyed signer', async () => {
    const s = privateKeySigner(Buffer.alloc(32, 3))
    for (const w of [...wrong, new Uint8Array(31)]) await assert.rejects(s.signDigest(w as Uint8Array), typed)
    s.destroy()
    await assert.rejects(s.signDigest(new Uint8Array(32)), /destroyed/)
  })

  it('L1 and L2 headers', async () => {
    for (const w of wrong) {
      await assert.rejects(createL1Headers(w as never, { chainId: 137 }), typed)
      await assert.rejects(createL1Headers(signer, { chainId: w as number }), typed)
      assert.throws(() => createL2Headers(w as never, { address: signer.address, method: 'GET', path: '/' }), typed)
      assert.throws(() => createL2Headers({ key: 'k', secret: 'AAAA', passphrase: 'p' }, { address: w as string, method: 'GET', path: '/' }), typed)
      if (w !== undefined && typeof w !== 'string') assert.throws(() => createL2Headers({ key: 'k', secret: 'AAAA', passphrase: 'p' }, { address: signer.address, method: 'GET', path: '/', body: w as string }), typed)
    }
    await assert.rejects(createL1Headers(signer, { chainId: 137, nonce: -1 }), typed)
  })

  it('amounts and orders', async () => {
    for (const w of wrong) {
      for (const field of ['side', 'price', 'size', 'tickSize'] as const) {
        if (field === 'size' && w === 1.5) continue
        assert.throws(() => limitOrderAmounts({ ...limit, [field]: w } as never), typed)
        await assert.rejects(buildLimitOrderV2(signer, { ...limit, [field]: w } as never), typed)
      }
      if (w !== 1.5) {
        assert.throws(() => marketOrderAmounts({ ...limit, amount: w } as never), typed)
        await assert.rejects(buildMarketOrderV2(signer, { ...limit, amount: w } as never), typed)
      }
      for (const field of ['tokenId', 'negRisk', 'chainId'] as const) if (!(field === 'negRisk' && w === true)) await assert.rejects(buildLimitOrderV2(signer, { ...limit, [field]: w } as never), typed)
    }
    await assert.rejects(buildLimitOrderV2(signer, { ...limit, price: 0.995 }), typed)
    await assert.rejects(buildLimitOrderV2(signer, { ...limit, signatureType: 3 as never }), typed)
    await assert.rejects(buildLimitOrderV2(signer, { ...limit, salt: String(2 ** 60) }), typed)
  })

  it('payload, addresses, client and sender', async () => {
    const { order } = await buildLimitOrderV2(signer, limit)
    for (const w of wrong) {
      if (w !== 'x') assert.throws(() => orderPayloadV2(order, w as string, 'GTC'), typed)
      assert.throws(() => orderPayloadV2(order, 'k', w as never), typed)
      assert.throws(() => proxyWalletAddress(w as string, 137), typed)
      assert.throws(() => safeWalletAddress(signer.address, w as number), typed)
      assert.throws(() => exchangeAddress(w as number, false), typed)
      assert.throws(() => createClobClient({ baseUrl: w as string, chainId: 137 }), typed)
    }
    assert.throws(() => orderPayloadV2(order, 'k', 'FOK', { postOnly: true }), typed)
    assert.throws(() => orderPayloadV2(order, 'k', 'GTD'), typed)
    const client = createClobClient({ baseUrl: 'http://127.0.0.1:1', chainId: 137 })
    const auth = { address: signer.address, credentials: { key: 'k', secret: 'AAAA', passphrase: 'p' } }
    await assert.rejects(client.postOrder(auth, '' as string), typed)
    await assert.rejects(client.getOrder(auth, 'nope'), typed)
    const sender = createOrderSender({ store: createMemoryOutboxStore(), client, authFor: async () => auth })
    for (const w of wrong) await assert.rejects(sender.enqueue({ orderHash: w as string, userId: 'u', body: '{}' }), typed)
    await assert.rejects(sender.enqueue({ orderHash: `0x${'ab'.repeat(32)}`, userId: '', body: '{}' }), typed)
  })
})
