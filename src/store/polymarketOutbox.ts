/**
 * The order outbox in SQL (OrderOutboxStore, src/polymarket/orderOutbox.ts) on SQLite and
 * PostgreSQL. The order hash is the primary key, so an order is stored — and sent — once.
 * `claimDue` leases rows atomically: on PostgreSQL with `FOR UPDATE SKIP LOCKED` so several
 * instances share the queue without waiting on each other; on SQLite inside a write transaction
 * (BEGIN IMMEDIATE: one writer at a time, across processes too).
 */
import { sql, type Kysely, type Selectable } from 'kysely'
import type { NewOutboxOrder, OrderOutboxStore, OutboxOrder, OutboxStatus } from './orderOutbox.ts'
import type { StoreDialect } from './dialect.ts'
import type { Database, OrderOutboxTable } from './schema.ts'

type Row = Selectable<OrderOutboxTable>

const toOrder = (row: Row): OutboxOrder => ({
  orderHash: row.order_hash,
  userId: row.user_id,
  body: row.body,
  status: row.status,
  attempts: Number(row.attempts),
  nextAttemptAt: Number(row.next_attempt_at),
  lastError: row.last_error,
  response: row.response,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
})

const byDue = (a: { due: number; created: number; hash: string }, b: { due: number; created: number; hash: string }) =>
  a.due - b.due || a.created - b.created || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0)

export function createSqlOrderOutboxStore(db: Kysely<Database>, dialect: StoreDialect): OrderOutboxStore {
  async function get(orderHash: string): Promise<OutboxOrder | undefined> {
    const row = await db.selectFrom('order_outbox').selectAll().where('order_hash', '=', orderHash).executeTakeFirst()
    return row === undefined ? undefined : toOrder(row)
  }

  async function claimPostgres(now: number, limit: number, leaseMs: number): Promise<OutboxOrder[]> {
    const { rows } = await sql<Row & { due_at: number }>`
      with due as (
        select order_hash, next_attempt_at as due_at from order_outbox
        where status = 'pending' and next_attempt_at <= ${now}
        order by next_attempt_at, created_at, order_hash
        limit ${limit}
        for update skip locked
      )
      update order_outbox as o
      set attempts = o.attempts + 1, next_attempt_at = ${now + leaseMs}, updated_at = ${now}
      from due where o.order_hash = due.order_hash
      returning o.*, due.due_at`.execute(db)
    return rows
      .map((r) => ({ row: r, due: Number(r.due_at), created: Number(r.created_at), hash: r.order_hash }))
      .sort(byDue)
      .map(({ row }) => {
        const { due_at: _due, ...rest } = row
        return toOrder(rest)
      })
  }

  async function claimSqlite(now: number, limit: number, leaseMs: number): Promise<OutboxOrder[]> {
    return db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('order_outbox')
        .select('order_hash')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('created_at')
        .orderBy('order_hash')
        .limit(limit)
        .execute()
      if (due.length === 0) return []
      const hashes = due.map((d) => d.order_hash)
      await trx
        .updateTable('order_outbox')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: now + leaseMs, updated_at: now }))
        .where('order_hash', 'in', hashes)
        .execute()
      const rows = await trx.selectFrom('order_outbox').selectAll().where('order_hash', 'in', hashes).execute()
      const position = new Map(hashes.map((h, i) => [h, i]))
      return rows.map(toOrder).sort((a, b) => (position.get(a.orderHash) ?? 0) - (position.get(b.orderHash) ?? 0))
    })
  }

  async function mark(orderHash: string, values: Partial<Omit<Row, 'order_hash'>>): Promise<void> {
    await db.updateTable('order_outbox').set(values).where('order_hash', '=', orderHash).execute()
  }

  return {
    async insertPending(order: NewOutboxOrder) {
      const result = await db
        .insertInto('order_outbox')
        .values({ order_hash: order.orderHash, user_id: order.userId, body: order.body, status: 'pending', attempts: 0, next_attempt_at: order.createdAt, last_error: null, response: null, created_at: order.createdAt, updated_at: order.createdAt })
        .onConflict((oc) => oc.column('order_hash').doNothing())
        .executeTakeFirst()
      const inserted = Number(result.numInsertedOrUpdatedRows ?? 0n) === 1
      const stored = await get(order.orderHash)
      if (stored === undefined) throw new Error('outbox row vanished after insert')
      return { inserted, order: stored }
    },
    claimDue({ now, limit, leaseMs }) {
      return dialect === 'postgres' ? claimPostgres(now, limit, leaseMs) : claimSqlite(now, limit, leaseMs)
    },
    markSent: (orderHash, { response, at }) => mark(orderHash, { status: 'sent', response, updated_at: at }),
    markFailed: (orderHash, { error, at }) => mark(orderHash, { status: 'failed', last_error: error, updated_at: at }),
    markRetry: (orderHash, { error, nextAttemptAt, at }) => mark(orderHash, { status: 'pending', last_error: error, next_attempt_at: nextAttemptAt, updated_at: at }),
    get,
    async list(args: { status?: OutboxStatus; userId?: string; limit?: number } = {}) {
      let query = db.selectFrom('order_outbox').selectAll().orderBy('created_at').orderBy('order_hash')
      if (args.status !== undefined) query = query.where('status', '=', args.status)
      if (args.userId !== undefined) query = query.where('user_id', '=', args.userId)
      if (args.limit !== undefined) query = query.limit(args.limit)
      return (await query.execute()).map(toOrder)
    },
  }
}
