/**
 * Behavioural contract every OrderOutboxStore must meet. The store layer runs it against its
 * SQL implementations: `runOutboxStoreContract('sqlite', () => makeStore())`.
 * `makeStore` returns a fresh, empty store (and may return a cleanup function).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { OrderOutboxStore } from '../../src/store/orderOutbox.ts'

type MakeStore = () => Promise<OrderOutboxStore | { store: OrderOutboxStore; close(): Promise<void> }>

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`

async function withStore(make: MakeStore, fn: (store: OrderOutboxStore) => Promise<void>): Promise<void> {
  const made = await make()
  const store = 'store' in made ? made.store : made
  try {
    await fn(store)
  } finally {
    if ('close' in made) await made.close()
  }
}

export function runOutboxStoreContract(name: string, make: MakeStore): void {
  describe(`OrderOutboxStore contract: ${name}`, () => {
    it('inserts a pending row due at its creation time, and is idempotent by hash', async () => {
      await withStore(make, async (store) => {
        const first = await store.insertPending({ orderHash: hash(1), userId: 'u1', body: '{"a":1}', createdAt: 1000 })
        assert.equal(first.inserted, true)
        assert.deepEqual(first.order, { orderHash: hash(1), userId: 'u1', body: '{"a":1}', status: 'pending', attempts: 0, nextAttemptAt: 1000, lastError: null, response: null, createdAt: 1000, updatedAt: 1000 })
        const again = await store.insertPending({ orderHash: hash(1), userId: 'u2', body: '{"b":2}', createdAt: 2000 })
        assert.equal(again.inserted, false)
        assert.deepEqual(again.order, first.order)
        assert.deepEqual(await store.get(hash(1)), first.order)
        assert.equal(await store.get(hash(99)), undefined)
      })
    })

    it('claims due rows once per lease, oldest due first, up to the limit', async () => {
      await withStore(make, async (store) => {
        for (const [n, at] of [[1, 300], [2, 100], [3, 200], [4, 5000]] as const) {
          await store.insertPending({ orderHash: hash(n), userId: 'u', body: `{"n":${n}}`, createdAt: at })
        }
        const claimed = await store.claimDue({ now: 1000, limit: 2, leaseMs: 500 })
        assert.deepEqual(claimed.map((r) => r.orderHash), [hash(2), hash(3)])
        assert.deepEqual(claimed.map((r) => [r.attempts, r.nextAttemptAt]), [[1, 1500], [1, 1500]])
        assert.deepEqual((await store.claimDue({ now: 1000, limit: 10, leaseMs: 500 })).map((r) => r.orderHash), [hash(1)])
        assert.deepEqual(await store.claimDue({ now: 1400, limit: 10, leaseMs: 500 }), [])
        const reclaimed = await store.claimDue({ now: 1600, limit: 10, leaseMs: 500 })
        assert.deepEqual(reclaimed.map((r) => [r.orderHash, r.attempts]), [[hash(2), 2], [hash(3), 2], [hash(1), 2]])
      })
    })

    it('concurrent claims never hand out the same row twice', async () => {
      await withStore(make, async (store) => {
        for (let n = 1; n <= 20; n++) await store.insertPending({ orderHash: hash(n), userId: 'u', body: '{}', createdAt: n })
        const batches = await Promise.all([1, 2, 3, 4].map(() => store.claimDue({ now: 100, limit: 8, leaseMs: 1000 })))
        const hashes = batches.flat().map((r) => r.orderHash)
        assert.equal(hashes.length, 20)
        assert.equal(new Set(hashes).size, 20)
      })
    })

    it('records sent, failed and retry; only pending rows are claimed', async () => {
      await withStore(make, async (store) => {
        for (const n of [1, 2, 3]) await store.insertPending({ orderHash: hash(n), userId: n === 3 ? 'other' : 'u', body: '{}', createdAt: n })
        await store.claimDue({ now: 10, limit: 10, leaseMs: 100 })
        await store.markSent(hash(1), { response: '{"success":true}', at: 20 })
        await store.markFailed(hash(2), { error: '400 not enough balance', at: 21 })
        await store.markRetry(hash(3), { error: '503 Service Unavailable', nextAttemptAt: 500, at: 22 })
        assert.deepEqual(
          { ...(await store.get(hash(1))) },
          { orderHash: hash(1), userId: 'u', body: '{}', status: 'sent', attempts: 1, nextAttemptAt: 110, lastError: null, response: '{"success":true}', createdAt: 1, updatedAt: 20 },
        )
        const failed = await store.get(hash(2))
        assert.equal(failed?.status, 'failed')
        assert.equal(failed?.lastError, '400 not enough balance')
        const retry = await store.get(hash(3))
        assert.deepEqual([retry?.status, retry?.nextAttemptAt, retry?.lastError, retry?.attempts], ['pending', 500, '503 Service Unavailable', 1])
        assert.deepEqual(await store.claimDue({ now: 499, limit: 10, leaseMs: 100 }), [])
        assert.deepEqual((await store.claimDue({ now: 500, limit: 10, leaseMs: 100 })).map((r) => r.orderHash), [hash(3)])
      })
    })

    it('lists by status and user, oldest first, with a limit', async () => {
      await withStore(make, async (store) => {
        for (const n of [3, 1, 2]) await store.insertPending({ orderHash: hash(n), userId: n === 2 ? 'b' : 'a', body: '{}', createdAt: n * 10 })
        await store.claimDue({ now: 100, limit: 1, leaseMs: 1 })
        await store.markSent(hash(1), { response: '{}', at: 101 })
        assert.deepEqual((await store.list()).map((r) => r.orderHash), [hash(1), hash(2), hash(3)])
        assert.deepEqual((await store.list({ status: 'pending' })).map((r) => r.orderHash), [hash(2), hash(3)])
        assert.deepEqual((await store.list({ userId: 'a' })).map((r) => r.orderHash), [hash(1), hash(3)])
        assert.deepEqual((await store.list({ limit: 1 })).map((r) => r.orderHash), [hash(1)])
      })
    })

    it('keeps the body byte for byte (unicode, spacing, large integers as text)', async () => {
      await withStore(make, async (store) => {
        const body = '{"deferExec":false, "owner":"é😃","order":{"salt":9007199254740991,"tokenId":"115792089237316195423570985008687907853269984665640564039457584007913129639935"}}'
        await store.insertPending({ orderHash: hash(7), userId: 'u', body, createdAt: 1 })
        assert.equal((await store.get(hash(7)))?.body, body)
      })
    })
  })
}
