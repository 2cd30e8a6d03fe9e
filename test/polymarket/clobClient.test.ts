/** The CLOB client end to end against the stand-in CLOB: key lifecycle, orders, retries and failures. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import * as official from '@polymarket/clob-client-v2'
import { buildLimitOrderV2 } from '../../src/polymarket/buildOrderV2.ts'
import { createClobClient } from '../../src/polymarket/clobClient.ts'
import { privateKeySigner } from '../../src/polymarket/evmSigner.ts'
import { orderPayloadV2, serializeOrderPayload } from '../../src/polymarket/orderPayload.ts'
import { createClobRateLimiter } from '../../src/polymarket/rateLimits.ts'
import { upstreamFailure } from '../../src/polymarket/upstreamError.ts'
import { verifyCredentials } from '../../src/polymarket/verifyCredentials.ts'
import { officialWallet } from './officialClient.ts'
import { DUPLICATE_ORDER_ERROR, startStandinClob, type StandinClob } from './standinClob.ts'

const keyHex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d' as const
const fastRetry = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 }

describe('CLOB client against the stand-in', () => {
  let clob: StandinClob
  const signer = privateKeySigner(Buffer.from(keyHex.slice(2), 'hex'))
  before(async () => {
    clob = await startStandinClob({ chainId: 137, negRiskTokenIds: ['777'] })
  })
  after(() => clob.stop())
  const client = () => createClobClient({ baseUrl: clob.url, chainId: 137, retry: fastRetry })

  it('creates, then derives the same key for the same nonce; lists and deletes', async () => {
    const c = client()
    const created = await c.createOrDeriveApiKey(signer, { nonce: 1 })
    const again = await c.createOrDeriveApiKey(signer, { nonce: 1 })
    assert.deepEqual(again, created)
    assert.deepEqual(await c.deriveApiKey(signer, { nonce: 1 }), created)
    const auth = { address: signer.address, credentials: created }
    assert.ok((await c.getApiKeys(auth)).includes(created.key))
    await c.deleteApiKey(auth)
    await assert.rejects(c.getApiKeys(auth), (e) => upstreamFailure(e)?.status === 401)
  })

  it('manages read-only keys', async () => {
    const c = client()
    const auth = { address: signer.address, credentials: await c.createOrDeriveApiKey(signer, { nonce: 2 }) }
    const ro = await c.createReadonlyApiKey(auth)
    assert.deepEqual(await c.getReadonlyApiKeys(auth), [ro])
    await c.deleteReadonlyApiKey(auth, ro)
    assert.deepEqual(await c.getReadonlyApiKeys(auth), [])
  })

  it('the stand-in rejects a wrong L1 signature and a wrong HMAC', async () => {
    const other = privateKeySigner(Buffer.alloc(32, 7))
    const forged = { address: signer.address, signDigest: other.signDigest }
    await assert.rejects(client().createApiKey(forged, { nonce: 9 }), (e) => upstreamFailure(e)?.status === 401)
    const c = client()
    const creds = await c.createOrDeriveApiKey(signer, { nonce: 3 })
    const wrong = { ...creds, secret: Buffer.alloc(32, 1).toString('base64url') }
    await assert.rejects(c.getApiKeys({ address: signer.address, credentials: wrong }), (e) => {
      const f = upstreamFailure(e)
      return f?.status === 401 && !String(f.error).includes(creds.secret)
    })
  })

  it('posts an order (neg-risk exchange), and a duplicate is the CLOB duplicate error', async () => {
    const c = client()
    const creds = await c.createOrDeriveApiKey(signer, { nonce: 4 })
    const built = await buildLimitOrderV2(signer, { tokenId: '777', side: 'BUY', price: 0.42, size: 10, tickSize: '0.01', negRisk: true, chainId: 137 })
    const body = serializeOrderPayload(orderPayloadV2(built.order, creds.key, 'GTC'))
    const auth = { address: signer.address, credentials: creds }
    const reply = await c.postOrder(auth, body)
    assert.equal(reply.success, true)
    assert.equal(reply.orderID, built.hash)
    await assert.rejects(c.postOrder(auth, body), (e) => upstreamFailure(e)?.error === DUPLICATE_ORDER_ERROR)
  })

  it('refuses an order signed for the wrong exchange or with an unknown field', async () => {
    const c = client()
    const creds = await c.createOrDeriveApiKey(signer, { nonce: 5 })
    const auth = { address: signer.address, credentials: creds }
    const wrongExchange = await buildLimitOrderV2(signer, { tokenId: '777', side: 'SELL', price: 0.5, size: 3, tickSize: '0.01', negRisk: false, chainId: 137 })
    await assert.rejects(c.postOrder(auth, serializeOrderPayload(orderPayloadV2(wrongExchange.order, creds.key, 'GTC'))), (e) => upstreamFailure(e)?.status === 400)
    const ok = await buildLimitOrderV2(signer, { tokenId: '5', side: 'SELL', price: 0.5, size: 3, tickSize: '0.01', negRisk: false, chainId: 137 })
    const extra = JSON.stringify({ ...orderPayloadV2(ok.order, creds.key, 'GTC'), extra: 1 })
    await assert.rejects(c.postOrder(auth, extra), (e) => upstreamFailure(e)?.status === 400)
    const proxyOrder = await buildLimitOrderV2(signer, { tokenId: '5', side: 'SELL', price: 0.5, size: 3, tickSize: '0.01', negRisk: false, chainId: 137, signatureType: 1 })
    assert.equal((await c.postOrder(auth, serializeOrderPayload(orderPayloadV2(proxyOrder.order, creds.key, 'GTC')))).orderID, proxyOrder.hash)
  })

  it('retries 5xx, honours Retry-After on 429, and retries a dropped connection', async () => {
    const c = client()
    const auth = { address: signer.address, credentials: await c.createOrDeriveApiKey(signer, { nonce: 6 }) }
    clob.inject({ kind: 'status', status: 503, path: '/auth/api-keys' })
    clob.inject({ kind: 'status', status: 429, path: '/auth/api-keys', retryAfter: '0.2' })
    clob.inject({ kind: 'drop', path: '/auth/api-keys' })
    const started = Date.now()
    assert.ok((await c.getApiKeys(auth)).length >= 1)
    assert.ok(Date.now() - started >= 190, 'waited for Retry-After')
  })

  it('does not retry other 4xx, and gives up after the attempts with status and CLOB text', async () => {
    const c = client()
    const auth = { address: signer.address, credentials: await c.createOrDeriveApiKey(signer, { nonce: 7 }) }
    const before = clob.state.requests.length
    clob.inject({ kind: 'status', status: 400, path: '/auth/api-keys', error: 'bad thing' })
    await assert.rejects(c.getApiKeys(auth), (e) => {
      const f = upstreamFailure(e)
      return f?.status === 400 && f.error === 'bad thing'
    })
    assert.equal(clob.state.requests.length - before, 1)
    clob.inject({ kind: 'status', status: 500, path: '/auth/api-keys', times: 4 })
    await assert.rejects(c.getApiKeys(auth), { code: 'COFFRE_UPSTREAM_FAILED', details: { status: 500, upstreamError: 'Internal Server Error', method: 'GET', path: '/auth/api-keys', attempts: 4 } })
  })

  it('verifyCredentials waits out a new key answering 401, then rotation deletes the old key', async () => {
    const c = client()
    const old = { address: signer.address, credentials: await c.createOrDeriveApiKey(signer, { nonce: 10 }) }
    clob.setNewKeyInactiveMs(300)
    const fresh = { address: signer.address, credentials: await c.createApiKey(signer, { nonce: 11 }) }
    clob.setNewKeyInactiveMs(0)
    await assert.rejects(c.getApiKeys(fresh), (e) => upstreamFailure(e)?.status === 401)
    const { attempts } = await verifyCredentials(c, fresh, { windowMs: 3_000, initialDelayMs: 50, maxDelayMs: 200 })
    assert.ok(attempts > 1)
    await c.deleteApiKey(old)
    const keys = await c.getApiKeys(fresh)
    assert.ok(keys.includes(fresh.credentials.key) && !keys.includes(old.credentials.key))
    await assert.rejects(verifyCredentials(c, old, { windowMs: 100, initialDelayMs: 30 }), (e) => upstreamFailure(e)?.status === 401)
  })

  it('consults the rate limiter before each request, per signer', async () => {
    const one = [{ points: 1, durationSec: 60 }]
    const many = [{ points: 1000, durationSec: 60 }]
    const rateLimiter = createClobRateLimiter({ global: { order: many, auth: many, other: many }, perUser: { order: many, auth: one, other: many }, maxWaitMs: 0 })
    const c = createClobClient({ baseUrl: clob.url, chainId: 137, retry: fastRetry, rateLimiter })
    const before = clob.state.requests.length
    await c.createOrDeriveApiKey(signer, { nonce: 30 })
    await assert.rejects(c.deriveApiKey(signer, { nonce: 30 }), { code: 'COFFRE_RATE_LIMITED' })
    assert.equal(clob.state.requests.length - before, 1)
  })

  it('the stand-in accepts what the official client sends (fidelity check)', async () => {
    const wallet = officialWallet(keyHex, 137)
    const off = new official.ClobClient({ host: clob.url, chain: 137, signer: wallet as never })
    const creds = await off.createOrDeriveApiKey(20)
    assert.equal(typeof creds.key, 'string')
    const trader = new official.ClobClient({ host: clob.url, chain: 137, signer: wallet as never, creds })
    const order = await trader.createOrder({ tokenID: '9', price: 0.3, size: 5, side: official.Side.BUY }, { tickSize: '0.01', negRisk: false })
    const reply = await trader.postOrder(order, official.OrderType.GTC)
    assert.equal((reply as { success?: boolean }).success, true)
  })
})
