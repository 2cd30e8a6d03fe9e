import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { startWebhookReceiver } from '../../support/webhookReceiver.ts'
import { createWebhookDeliverer, type WebhookEndpoint } from '../../../src/chain/webhooks/deliverWebhooks.ts'
import type { WebhookOutboxStore } from '../../../src/store/chain/webhookOutbox.ts'
import { verifyWebhook } from '../../../src/chain/webhooks/webhookSignature.ts'
import { createSqlWebhookStore } from '../../../src/store/chain/webhookStore.ts'
import { openStore, type Store } from '../../../src/store/openStore.ts'
import { createTestStore, ENGINES, type TestStore } from '../../support/engines.ts'

const startReceiver = startWebhookReceiver

for (const engine of ENGINES) {
  describe(`webhook delivery from the durable outbox (${engine})`, () => {
    let testStore: TestStore
    let store: Store
    let outbox: WebhookOutboxStore
    let clock = 1_767_225_600_000
    const secret = new Uint8Array(randomBytes(32))
    const deliverer = (endpoints: WebhookEndpoint[]) =>
      createWebhookDeliverer({ store: outbox, endpoints, now: () => clock, random: () => 0.5, policy: { maxAttempts: 3, baseDelayMs: 1_000, timeoutMs: 300 } })

    before(async () => {
      testStore = await createTestStore(engine)
      store = await openStore(testStore.config)
      outbox = createSqlWebhookStore(store.db, store.dialect)
    })
    after(async () => {
      await store?.close()
      await testStore?.cleanup()
    })

    it('retries a failing receiver with backoff and delivers the same signed event id', async () => {
      const receiver = await startReceiver((n) => (n <= 2 ? 500 : 200))
      try {
        const id = await outbox.enqueue({ type: 'deposit.confirmed', data: { amount: '5', to: '0xabc' }, endpoints: [receiver.url], now: clock })
        const run = deliverer([{ url: receiver.url, secret }])
        assert.deepEqual(await run.processDue(), { delivered: 0, failed: 1, dead: 0 })
        assert.deepEqual(await run.processDue(), { delivered: 0, failed: 0, dead: 0 }, 'not due before its backoff')
        const [pending] = await outbox.list({ eventId: id })
        assert.equal(pending?.lastStatus, 500)
        assert.equal(pending?.nextAttemptAt, clock + 750, 'first retry after base/2 + jitter·base/2')
        clock += 1_000
        assert.equal((await run.processDue()).failed, 1)
        clock += 2_000
        assert.equal((await run.processDue()).delivered, 1)
        assert.equal(receiver.received.length, 3)
        assert.deepEqual(new Set(receiver.received.map((r) => r.headers['coffre-event-id'])), new Set([id]))
        const last = receiver.received[2]!
        assert.deepEqual(JSON.parse(last.body), { id, type: 'deposit.confirmed', createdAt: new Date(1_767_225_600_000).toISOString(), data: { amount: '5', to: '0xabc' } })
        const verdict = verifyWebhook({ secrets: [secret], headers: last.headers, body: last.body, nowSeconds: Math.floor(clock / 1000) })
        assert.deepEqual(verdict, { ok: true, eventId: id, timestamp: Math.floor(clock / 1000) })
        assert.equal(verifyWebhook({ secrets: [secret], headers: last.headers, body: last.body.replace('"5"', '"6"'), nowSeconds: Math.floor(clock / 1000) }).ok, false)
        assert.equal(verifyWebhook({ secrets: [secret], headers: last.headers, body: last.body, nowSeconds: Math.floor(clock / 1000) + 301 }).ok, false)
        assert.equal((await outbox.list({ eventId: id }))[0]?.state, 'delivered')
      } finally {
        await receiver.stop()
      }
    })

    it('moves a delivery to the dead letter after the attempt limit, keeps other endpoints going, and replays it', async () => {
      let healthy = false
      const broken = await startReceiver(() => (healthy ? 204 : 503))
      const hanging = await startReceiver((n) => (n === 1 ? 'hang' : 200))
      try {
        const id = await outbox.enqueue({ type: 'withdrawal.failed', data: { id: 'w1' }, endpoints: [broken.url, hanging.url], now: clock })
        const run = deliverer([{ url: broken.url, secret }, { url: hanging.url, secret }])
        for (let i = 0; i < 4; i++) {
          await run.processDue()
          clock += 60_000
        }
        const rows = await outbox.list({ eventId: id })
        const dead = rows.find((r) => r.endpoint === broken.url)
        assert.equal(dead?.state, 'dead')
        assert.equal(dead?.attempts, 3)
        assert.equal(broken.received.length, 3)
        const timedOut = rows.find((r) => r.endpoint === hanging.url)
        assert.equal(timedOut?.state, 'delivered', 'the hanging first attempt timed out; the second delivered')
        assert.equal(hanging.received.length, 2)
        healthy = true
        assert.equal(await outbox.replay({ state: 'dead', now: clock }), 1)
        assert.equal((await run.processDue()).delivered, 1)
        assert.equal((await outbox.list({ eventId: id })).every((r) => r.state === 'delivered'), true)
        assert.equal(broken.received.at(-1)?.headers['coffre-event-id'], id)
      } finally {
        await broken.stop()
        await hanging.stop()
      }
    })
  })
}

describe('docs/webhooks.md', () => {
  it('its verification example accepts a real Coffre delivery and rejects tampering and replays', async () => {
    const doc = readFileSync('docs/webhooks.md', 'utf8')
    const code = /```js example\n([\s\S]*?)```/.exec(doc)?.[1]
    assert.ok(code, 'docs/webhooks.md has the example block')
    const file = join(process.cwd(), `.webhook-example-${process.pid}.mjs`)
    writeFileSync(file, code)
    const testStore = await createTestStore('sqlite')
    const store = await openStore(testStore.config)
    const receiver = await startReceiver(() => 200)
    try {
      const { verifyCoffreWebhook } = (await import(file)) as { verifyCoffreWebhook: (args: object) => { id: string; data: unknown } }
      const outbox = createSqlWebhookStore(store.db, store.dialect)
      const secret = 'whsec-test-secret-0123456789'
      const id = await outbox.enqueue({ type: 'approval.done', data: { user: 'u1' }, endpoints: [receiver.url], now: Date.now() })
      await createWebhookDeliverer({ store: outbox, endpoints: [{ url: receiver.url, secret: new TextEncoder().encode(secret) }] }).processDue()
      const { headers, body } = receiver.received[0]!
      assert.deepEqual(verifyCoffreWebhook({ secret, headers, rawBody: body }), { id, type: 'approval.done', createdAt: JSON.parse(body).createdAt, data: { user: 'u1' } })
      assert.throws(() => verifyCoffreWebhook({ secret, headers, rawBody: body.replace('u1', 'u2') }), /bad webhook signature/)
      assert.throws(() => verifyCoffreWebhook({ secret, headers, rawBody: body, now: Date.now() + 600_000 }), /stale/)
      assert.throws(() => verifyCoffreWebhook({ secret: 'another', headers, rawBody: body }), /bad webhook signature/)
    } finally {
      rmSync(file, { force: true })
      await receiver.stop()
      await store.close()
      await testStore.cleanup()
    }
  })
})
