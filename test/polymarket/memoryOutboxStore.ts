/** In-memory OrderOutboxStore: the reference the SQL store must behave like (tests only). */
import type { NewOutboxOrder, OrderOutboxStore, OutboxOrder } from '../../src/store/orderOutbox.ts'

export function createMemoryOutboxStore(): OrderOutboxStore {
  const rows = new Map<string, OutboxOrder>()
  const copy = (row: OutboxOrder): OutboxOrder => ({ ...row })
  const mustGet = (hash: string): OutboxOrder => {
    const row = rows.get(hash)
    if (row === undefined) throw new Error(`no outbox row ${hash}`)
    return row
  }
  return {
    async insertPending(order: NewOutboxOrder) {
      const existing = rows.get(order.orderHash)
      if (existing !== undefined) return { inserted: false, order: copy(existing) }
      const row: OutboxOrder = { ...order, status: 'pending', attempts: 0, nextAttemptAt: order.createdAt, lastError: null, response: null, updatedAt: order.createdAt }
      rows.set(order.orderHash, row)
      return { inserted: true, order: copy(row) }
    },
    async claimDue({ now, limit, leaseMs }) {
      const due = [...rows.values()]
        .filter((r) => r.status === 'pending' && r.nextAttemptAt <= now)
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt)
        .slice(0, limit)
      for (const r of due) {
        r.attempts += 1
        r.nextAttemptAt = now + leaseMs
        r.updatedAt = now
      }
      return due.map(copy)
    },
    async markSent(hash, { response, at }) {
      const r = mustGet(hash)
      Object.assign(r, { status: 'sent', response, updatedAt: at })
    },
    async markFailed(hash, { error, at }) {
      const r = mustGet(hash)
      Object.assign(r, { status: 'failed', lastError: error, updatedAt: at })
    },
    async markRetry(hash, { error, nextAttemptAt, at }) {
      const r = mustGet(hash)
      Object.assign(r, { status: 'pending', lastError: error, nextAttemptAt, updatedAt: at })
    },
    async get(hash) {
      const r = rows.get(hash)
      return r === undefined ? undefined : copy(r)
    },
    async list(args = {}) {
      return [...rows.values()]
        .filter((r) => (args.status === undefined || r.status === args.status) && (args.userId === undefined || r.userId === args.userId))
        .sort((a, b) => a.createdAt - b.createdAt)
        .slice(0, args.limit ?? Number.MAX_SAFE_INTEGER)
        .map(copy)
    },
  }
}
