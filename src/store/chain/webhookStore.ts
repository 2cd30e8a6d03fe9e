/**
 * The webhook outbox in SQL (WebhookOutboxStore, src/chain/webhooks/webhookOutbox.ts).
 * `enqueueWebhookEvent` also runs inside a caller's transaction, so an event is stored with the
 * change it reports (e.g. a deposit) or not at all.
 */
import type { Kysely, Selectable, Transaction } from 'kysely'
import { newUuidV7 } from '../../ids.ts'
import type { WebhookDelivery, WebhookDeliveryState, WebhookOutboxStore } from './webhookOutbox.ts'
import type { StoreDialect } from '../dialect.ts'
import type { Database, WebhookDeliveriesTable, WebhookEventsTable } from '../schema.ts'
import { claimDue } from './claimDue.ts'

type Executor = Kysely<Database> | Transaction<Database>

export async function enqueueWebhookEvent(db: Executor, event: { type: string; data: unknown; endpoints: readonly string[]; now: number }): Promise<string> {
  const id = newUuidV7()
  await db.insertInto('webhook_events').values({ id, type: event.type, payload: JSON.stringify(event.data), created_at: new Date(event.now).toISOString() }).execute()
  const endpoints = [...new Set(event.endpoints)]
  if (endpoints.length > 0) {
    await db
      .insertInto('webhook_deliveries')
      .values(endpoints.map((endpoint) => ({ event_id: id, endpoint, state: 'pending' as const, attempts: 0, next_attempt_at: event.now, last_status: null, last_error: null, delivered_at: null, created_at: event.now, updated_at: event.now })))
      .execute()
  }
  return id
}

const toDelivery = (row: Selectable<WebhookDeliveriesTable>, event: Selectable<WebhookEventsTable>): WebhookDelivery => ({
  eventId: row.event_id,
  endpoint: row.endpoint,
  state: row.state,
  attempts: Number(row.attempts),
  nextAttemptAt: Number(row.next_attempt_at),
  lastStatus: row.last_status === null ? null : Number(row.last_status),
  lastError: row.last_error,
  deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
  event: { id: event.id, type: event.type, data: JSON.parse(event.payload) as unknown, createdAt: event.created_at },
})

export function createSqlWebhookStore(db: Kysely<Database>, dialect: StoreDialect): WebhookOutboxStore {
  async function withEvents(rows: Selectable<WebhookDeliveriesTable>[]): Promise<WebhookDelivery[]> {
    if (rows.length === 0) return []
    const events = await db.selectFrom('webhook_events').selectAll().where('id', 'in', [...new Set(rows.map((r) => r.event_id))]).execute()
    const byId = new Map(events.map((e) => [e.id, e]))
    return rows.flatMap((row) => {
      const event = byId.get(row.event_id)
      return event === undefined ? [] : [toDelivery(row, event)]
    })
  }

  return {
    enqueue: (event) => enqueueWebhookEvent(db, event),
    async claimDue({ now, limit, leaseMs }) {
      return withEvents(await claimDue<Selectable<WebhookDeliveriesTable>>(db, dialect, { table: 'webhook_deliveries', key: ['event_id', 'endpoint'], states: ['pending'], now, limit, leaseMs }))
    },
    async markDelivered(eventId, endpoint, { status, at }) {
      await db.updateTable('webhook_deliveries').set({ state: 'delivered', last_status: status, last_error: null, delivered_at: at, updated_at: at }).where('event_id', '=', eventId).where('endpoint', '=', endpoint).execute()
    },
    async markFailed(eventId, endpoint, { status, error, nextAttemptAt, at }) {
      await db
        .updateTable('webhook_deliveries')
        .set({ state: nextAttemptAt === null ? 'dead' : 'pending', last_status: status, last_error: error, ...(nextAttemptAt === null ? {} : { next_attempt_at: nextAttemptAt }), updated_at: at })
        .where('event_id', '=', eventId)
        .where('endpoint', '=', endpoint)
        .where('state', '=', 'pending')
        .execute()
    },
    async replay({ eventId, endpoint, state, now }) {
      let query = db.updateTable('webhook_deliveries').set({ state: 'pending', attempts: 0, next_attempt_at: now, updated_at: now })
      if (eventId !== undefined) query = query.where('event_id', '=', eventId)
      if (endpoint !== undefined) query = query.where('endpoint', '=', endpoint)
      if (state !== undefined) query = query.where('state', '=', state)
      return Number((await query.executeTakeFirst()).numUpdatedRows)
    },
    async list(args: { state?: WebhookDeliveryState; eventId?: string; limit?: number } = {}) {
      let query = db.selectFrom('webhook_deliveries').selectAll().orderBy('created_at').orderBy('event_id').orderBy('endpoint')
      if (args.state !== undefined) query = query.where('state', '=', args.state)
      if (args.eventId !== undefined) query = query.where('event_id', '=', args.eventId)
      if (args.limit !== undefined) query = query.limit(args.limit)
      return withEvents(await query.execute())
    },
  }
}
