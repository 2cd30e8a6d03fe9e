/** Literal vectors from Polymarket's official TS, Python and Rust clients (see the data file's sources). */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { privateKeySigner } from '../../src/polymarket/evmSigner.ts'
import { buildHmacSignature, l2SignedMessage } from '../../src/polymarket/hmacSignature.ts'
import { createL1Headers } from '../../src/polymarket/l1Headers.ts'
import { limitOrderAmounts, type TickSize } from '../../src/polymarket/orderAmounts.ts'
import { hashOrderV2, type OrderV2 } from '../../src/polymarket/orderV2.ts'
import { proxyWalletAddress, safeWalletAddress } from '../../src/polymarket/walletAddresses.ts'

const vectors = JSON.parse(readFileSync(new URL('../vectors/polymarket/official-vectors.json', import.meta.url), 'utf8'))
const signer = privateKeySigner(Buffer.from(vectors.privateKey.slice(2), 'hex'))

describe('official Polymarket client vectors', () => {
  it('derives the test key address', () => assert.equal(signer.address, vectors.address))

  for (const v of vectors.l1) {
    it(`L1 headers: ${v.source}`, async () => {
      const headers = await createL1Headers(signer, { chainId: v.chainId, timestamp: v.timestamp, nonce: v.nonce })
      assert.deepEqual(headers, { POLY_ADDRESS: vectors.address, POLY_SIGNATURE: v.signature, POLY_TIMESTAMP: String(v.timestamp), POLY_NONCE: String(v.nonce) })
    })
  }

  for (const v of vectors.hmac) {
    it(`L2 HMAC: ${v.source}`, () => {
      assert.equal(buildHmacSignature(v.secret, l2SignedMessage(v.timestamp, v.method, v.path, v.body)), v.signature)
    })
  }

  for (const v of vectors.limitAmounts) {
    it(`limit amounts: ${v.source}`, () => {
      const amounts = limitOrderAmounts({ side: v.side, price: v.price, size: v.size, tickSize: v.tickSize as TickSize })
      assert.deepEqual(amounts, { makerAmount: v.makerAmount, takerAmount: v.takerAmount })
    })
  }

  for (const v of vectors.orderHash) {
    it(`order hash: ${v.source}`, () => {
      assert.equal(hashOrderV2(v.order as OrderV2, v.chainId, v.exchange), v.hash)
    })
  }

  for (const v of vectors.wallets) {
    it(`wallet addresses: ${v.source}`, () => {
      assert.equal(safeWalletAddress(v.signer, v.chainId).toLowerCase(), v.safe.toLowerCase(), "the Rust literal is not EIP-55 cased")
      if (v.proxy === null) assert.throws(() => proxyWalletAddress(v.signer, v.chainId), { code: 'COFFRE_UNSUPPORTED' })
      else assert.equal(proxyWalletAddress(v.signer, v.chainId).toLowerCase(), v.proxy.toLowerCase())
    })
  }
})
