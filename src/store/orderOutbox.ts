/**
 * The durable order outbox's storage contract. An order is written here (keyed by its hash,
 * idempotently) before it is sent; the sender claims due rows, and records sent, failed, or a
 * retry with its next attempt time. The store implementation (SQL) belongs to the store layer;
 * behavioural tests: test/polymarket/outboxContract.ts.
 */
export type OutboxStatus = 'pending' | 'sent' | 'failed'

export type OutboxOrder = {
  orderHash: string
  userId: string
  /** The exact POST /order body (owner = API key); sent byte for byte. */
  body: string
  status: OutboxStatus
  /** Send attempts started (incremented by each claim). */
  attempts: number
  /** Unix ms when the row may next be claimed (also the lease end of an in-flight claim). */
  nextAttemptAt: number
  lastError: string | null
  /** The CLOB's reply once sent (JSON text), null before. */
  response: string | null
  createdAt: number
  updatedAt: number
}

export type NewOutboxOrder = { orderHash: string; userId: string; body: string; createdAt: number }

export interface OrderOutboxStore {
  /** Inserts a pending row due now; an existing hash is left untouched and returned with inserted = false. */
  insertPending(order: NewOutboxOrder): Promise<{ inserted: boolean; order: OutboxOrder }>
  /**
   * Atomically takes up to `limit` pending rows with nextAttemptAt ≤ now, oldest due first:
   * each gets attempts + 1 and nextAttemptAt = now + leaseMs, so a crashed sender's rows come
   * back after the lease and two senders never claim the same row at once.
   */
  claimDue(args: { now: number; limit: number; leaseMs: number }): Promise<OutboxOrder[]>
  markSent(orderHash: string, args: { response: string; at: number }): Promise<void>
  markFailed(orderHash: string, args: { error: string; at: number }): Promise<void>
  markRetry(orderHash: string, args: { error: string; nextAttemptAt: number; at: number }): Promise<void>
  get(orderHash: string): Promise<OutboxOrder | undefined>
  /** Rows, oldest first, optionally filtered. */
  list(args?: { status?: OutboxStatus; userId?: string; limit?: number }): Promise<OutboxOrder[]>
}
