/**
 * The outbox send loop: persist before send, send claimed rows with fresh L2 headers, and
 * record the outcome. An order hash is submitted by one sender at a time (claims are leases);
 * if a reply is lost and the order is sent again, the CLOB's "Duplicated" reply means it already
 * holds the order, which counts as sent. Network errors, 5xx and 429 are retried with backoff
 * until `maxAttempts`; other refusals are final. Pending rows survive a restart: the next
 * process claims them once their lease or backoff is over.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { invalidInput, isCoffreError, type ErrorCode } from '../errors.ts'
import type { ClobClient, L2Auth } from './clobClient.ts'
import type { OrderOutboxStore, OutboxOrder } from '../store/orderOutbox.ts'
import { backoffDelayMs, isRetryableStatus, type RetryPolicy } from './retryPolicy.ts'
import { isDuplicateOrderText, upstreamFailure } from './upstreamError.ts'

const TRANSIENT_LOCAL_CODES: ReadonlySet<ErrorCode> = new Set(['COFFRE_RATE_LIMITED', 'COFFRE_KEY_PROVIDER_FAILED', 'COFFRE_STORE_FAILED', 'COFFRE_AUDIT_FAILED'])

export type OrderSenderOptions = {
  store: OrderOutboxStore
  client: Pick<ClobClient, 'postOrder'>
  /** L2 auth of the user an order belongs to (decrypted per send, never cached here). */
  authFor: (userId: string) => Promise<L2Auth>
  maxAttempts?: number
  backoff?: Partial<RetryPolicy>
  leaseMs?: number
  batchSize?: number
  now?: () => number
}

export type SendOutcome = { orderHash: string; status: OutboxOrder['status'] }

export function createOrderSender(options: OrderSenderOptions) {
  const { store, client, authFor } = options
  const now = options.now ?? Date.now
  const maxAttempts = options.maxAttempts ?? 8
  const backoff: RetryPolicy = { attempts: maxAttempts, baseDelayMs: 500, maxDelayMs: 60_000, maxRetryAfterMs: 60_000, ...options.backoff }
  const leaseMs = options.leaseMs ?? 60_000
  const batchSize = options.batchSize ?? 50
  const inFlight = new Set<string>()
  let running = false
  let loop: Promise<void> | undefined

  async function sendOne(row: OutboxOrder): Promise<SendOutcome> {
    inFlight.add(row.orderHash)
    try {
      const reply = await client.postOrder(await authFor(row.userId), row.body)
      if (reply?.success === false && !isDuplicateOrderText(String(reply.errorMsg ?? ''))) {
        await store.markFailed(row.orderHash, { error: String(reply.errorMsg || 'order refused'), at: now() })
        return { orderHash: row.orderHash, status: 'failed' }
      }
      await store.markSent(row.orderHash, { response: JSON.stringify(reply), at: now() })
      return { orderHash: row.orderHash, status: 'sent' }
    } catch (error) {
      const failure = upstreamFailure(error)
      if (failure !== undefined && isDuplicateOrderText(failure.error)) {
        await store.markSent(row.orderHash, { response: JSON.stringify({ success: true, duplicate: true, orderID: row.orderHash }), at: now() })
        return { orderHash: row.orderHash, status: 'sent' }
      }
      const text = failure === undefined ? (error instanceof Error ? error.message : 'send failed') : `${failure.status} ${failure.error}`
      // Local, transient refusals (our rate limiter or its Redis, the key provider, the audit store)
      // are retried like a 5xx: the order was not sent, and it must not be dropped for that.
      const localTransient = isCoffreError(error) && TRANSIENT_LOCAL_CODES.has(error.code)
      const retryable = failure === undefined ? localTransient : failure.status === 0 || isRetryableStatus(failure.status)
      if (retryable && row.attempts < maxAttempts) {
        const localDelay = localTransient && typeof error.details?.retryAfterMs === 'number' ? error.details.retryAfterMs : 0
        await store.markRetry(row.orderHash, { error: text, nextAttemptAt: now() + Math.max(localDelay, backoffDelayMs(backoff, row.attempts)), at: now() })
        return { orderHash: row.orderHash, status: 'pending' }
      }
      await store.markFailed(row.orderHash, { error: text, at: now() })
      return { orderHash: row.orderHash, status: 'failed' }
    } finally {
      inFlight.delete(row.orderHash)
    }
  }

  async function runOnce(): Promise<SendOutcome[]> {
    const rows = await store.claimDue({ now: now(), limit: batchSize, leaseMs })
    return Promise.all(rows.filter((r) => !inFlight.has(r.orderHash)).map(sendOne))
  }

  return {
    /** Persists the order (idempotent by hash). Sending happens in runOnce / the loop. */
    async enqueue(order: { orderHash: string; userId: string; body: string }): Promise<{ inserted: boolean; order: OutboxOrder }> {
      if (typeof order?.orderHash !== 'string' || !/^0x[0-9a-f]{64}$/i.test(order.orderHash)) throw invalidInput('orderHash must be a 32-byte hex hash')
      if (typeof order.userId !== 'string' || order.userId === '') throw invalidInput('userId must be a non-empty string')
      if (typeof order.body !== 'string' || order.body === '') throw invalidInput('body must be the serialized order payload')
      return store.insertPending({ orderHash: order.orderHash.toLowerCase(), userId: order.userId, body: order.body, createdAt: now() })
    },
    /** Persists, then tries to send at once; returns the row as it stands afterwards. */
    async submit(order: { orderHash: string; userId: string; body: string }): Promise<OutboxOrder> {
      const { order: row } = await this.enqueue(order)
      if (row.status === 'pending') await runOnce()
      return (await store.get(row.orderHash)) as OutboxOrder
    },
    runOnce,
    start(intervalMs = 250): void {
      if (running) return
      running = true
      loop = (async () => {
        while (running) {
          try {
            await runOnce()
          } catch {
            // a store hiccup: the rows stay pending and are claimed again after their lease
          }
          await sleep(intervalMs)
        }
      })()
    },
    async stop(): Promise<void> {
      running = false
      await loop
    },
  }
}
