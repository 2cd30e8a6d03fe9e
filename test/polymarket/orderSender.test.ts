/**
 * The outbox sender end to end against the stand-in CLOB: persist before send, retries through
 * 429/5xx/dropped connections, a lost reply answered "Duplicated" on resend, a restart picking
 * pending rows up again — and in every case exactly one order accepted by the CLOB.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildLimitOrderV2 } from '../../src/polymarket/buildOrderV2.ts'
import { createClobClient, type L2Auth } from '../../src/polymarket/clobClient.ts'
import { privateKeySigner } from '../../src/polymarket/evmSigner.ts'
import { orderPayloadV2, serializeOrderPayload } from '../../src/polymarket/orderPayload.ts'
import { createOrderSender } from '../../src/polymarket/orderSender.ts'
import { CoffreError } from '../../src/errors.ts'
import { createMemoryOutboxStore } from './memoryOutboxStore.ts'
import { startStandinClob, type StandinClob } from './standinClob.ts'

const signer = privateKeySigner(Buffer.alloc(32, 0x42))

describe('order sender (outbox) against the stand-in', () => {
  let clob: StandinClob
  let auth: L2Auth
  before(async () => {
    clob = await startStandinClob({ chainId: 137 })
    const setup = createClobClient({ baseUrl: clob.url, chainId: 137 })
    auth = { address: signer.address, credentials: await setup.createOrDeriveApiKey(signer) }
  })
  after(() => clob.stop())

  let tokenSeq = 1000
  async function newOrder() {
    const built = await buildLimitOrderV2(signer, { tokenId: String(tokenSeq++), side: 'BUY', price: 0.5, size: 10, tickSize: '0.01', negRisk: false, chainId: 137 })
    return { orderHash: built.hash, userId: 'user-1', body: serializeOrderPayload(orderPayloadV2(built.order, auth.credentials.key, 'GTC')) }
  }
  const accepted = (hash: string) => (clob.state.orders.has(hash) ? 1 : 0)
  const orderPosts = () => clob.state.requests.filter((r) => r.path === '/order').length
  function sender(store = createMemoryOutboxStore(), retry = { attempts: 1 }) {
    const client = createClobClient({ baseUrl: clob.url, chainId: 137, retry: { ...retry, baseDelayMs: 5, maxDelayMs: 10 } })
    return { store, sender: createOrderSender({ store, client, authFor: async () => auth, backoff: { baseDelayMs: 1, maxDelayMs: 5 }, leaseMs: 50 }) }
  }

  it('persists before sending and sends once', async () => {
    const { store, sender: s } = sender()
    const order = await newOrder()
    await s.enqueue(order)
    assert.equal((await store.get(order.orderHash))?.status, 'pending')
    assert.equal(accepted(order.orderHash), 0)
    await s.runOnce()
    const row = await store.get(order.orderHash)
    assert.equal(row?.status, 'sent')
    assert.equal(JSON.parse(row?.response ?? '{}').orderID, order.orderHash)
    assert.equal(accepted(order.orderHash), 1)
    assert.deepEqual(await s.runOnce(), [])
    assert.equal((await s.enqueue(order)).inserted, false)
  })

  it('a local refusal (our rate limiter or its Redis down) is retried, not a lost order', async () => {
    const store = createMemoryOutboxStore()
    const client = createClobClient({ baseUrl: clob.url, chainId: 137, retry: { attempts: 1, baseDelayMs: 5, maxDelayMs: 10 } })
    let refusals = 2
    const authFor = async () => {
      if (refusals-- > 0) throw new CoffreError('COFFRE_RATE_LIMITED', 'The rate limiter store failed')
      return auth
    }
    const s = createOrderSender({ store, client, authFor, backoff: { baseDelayMs: 1, maxDelayMs: 5 }, leaseMs: 50 })
    const order = await newOrder()
    await s.enqueue(order)
    for (let i = 0; i < 20 && (await store.get(order.orderHash))?.status === 'pending'; i++) {
      await s.runOnce()
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    assert.equal((await store.get(order.orderHash))?.status, 'sent')
    assert.equal(accepted(order.orderHash), 1)
  })

  it('429 with Retry-After, 5xx and a dropped connection: retried until exactly one order is accepted', async () => {
    const { store, sender: s } = sender()
    const order = await newOrder()
    const postsBefore = orderPosts()
    clob.inject({ kind: 'status', status: 429, path: '/order', retryAfter: '0' })
    clob.inject({ kind: 'status', status: 502, path: '/order' })
    clob.inject({ kind: 'drop', path: '/order' })
    await s.enqueue(order)
    for (let i = 0; i < 50 && (await store.get(order.orderHash))?.status === 'pending'; i++) {
      await s.runOnce()
      await new Promise((r) => setTimeout(r, 10))
    }
    const row = await store.get(order.orderHash)
    assert.equal(row?.status, 'sent')
    assert.equal(row?.attempts, 4)
    assert.equal(orderPosts() - postsBefore, 4)
    assert.equal(accepted(order.orderHash), 1)
  })

  it('a reply lost after the CLOB stored the order: the resend is answered Duplicated and counts as sent', async () => {
    const { store, sender: s } = sender(createMemoryOutboxStore(), { attempts: 3 })
    const order = await newOrder()
    clob.inject({ kind: 'drop', path: '/order', when: 'after' })
    const row = await s.submit(order)
    assert.equal(row.status, 'sent')
    assert.equal(JSON.parse(row.response ?? '{}').duplicate, true)
    assert.equal(accepted(order.orderHash), 1)
    assert.equal((await store.get(order.orderHash))?.status, 'sent')
  })

  it('survives a restart: a new sender on the same store sends what the old one left pending', async () => {
    const store = createMemoryOutboxStore()
    const first = sender(store).sender
    const order = await newOrder()
    clob.inject({ kind: 'status', status: 503, path: '/order' })
    await first.enqueue(order)
    await first.runOnce()
    assert.equal((await store.get(order.orderHash))?.status, 'pending')
    const second = sender(store).sender
    await new Promise((r) => setTimeout(r, 20))
    second.start(5)
    for (let i = 0; i < 100 && (await store.get(order.orderHash))?.status !== 'sent'; i++) await new Promise((r) => setTimeout(r, 10))
    await second.stop()
    assert.equal((await store.get(order.orderHash))?.status, 'sent')
    assert.equal(accepted(order.orderHash), 1)
  })

  it('a refusal (4xx) is final and not retried; retryable failures stop at maxAttempts', async () => {
    const { store, sender: s } = sender()
    const refused = await newOrder()
    clob.inject({ kind: 'status', status: 400, path: '/order', error: 'not enough balance / allowance' })
    await s.submit(refused)
    const row = await store.get(refused.orderHash)
    assert.deepEqual([row?.status, row?.lastError], ['failed', '400 not enough balance / allowance'])
    const store2 = createMemoryOutboxStore()
    const client = createClobClient({ baseUrl: clob.url, chainId: 137, retry: { attempts: 1 } })
    const limited = createOrderSender({ store: store2, client, authFor: async () => auth, maxAttempts: 2, backoff: { baseDelayMs: 1, maxDelayMs: 1 } })
    const order = await newOrder()
    clob.inject({ kind: 'status', status: 500, path: '/order', times: 2 })
    await limited.enqueue(order)
    await limited.runOnce()
    await new Promise((r) => setTimeout(r, 5))
    await limited.runOnce()
    const final = await store2.get(order.orderHash)
    assert.deepEqual([final?.status, final?.attempts, final?.lastError], ['failed', 2, '500 Internal Server Error'])
    assert.equal(accepted(order.orderHash), 0)
  })

  it('concurrent submits of the same order hash post it once', async () => {
    const { sender: s } = sender()
    const order = await newOrder()
    const before = orderPosts()
    await Promise.all([s.submit(order), s.submit(order), s.submit(order)])
    assert.equal(orderPosts() - before, 1)
    assert.equal(accepted(order.orderHash), 1)
  })
})
