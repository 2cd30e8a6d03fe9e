/**
 * vault.chain.webhooks: the webhook outbox seen by an operator — list deliveries (by state or
 * event), replay them (the same event id, re-signed with a fresh timestamp), and deliver what is
 * due to the configured URLs (run by the chain watcher; any number of instances may run it: rows
 * are leased). Replays are audited.
 */
import { createWebhookDeliverer, type WebhookPolicy } from '../../chain/webhooks/deliverWebhooks.ts'
import { invalidInput } from '../../errors.ts'
import type { WebhookDelivery, WebhookDeliveryState } from '../../store/chain/webhookOutbox.ts'
import { createSqlWebhookStore } from '../../store/chain/webhookStore.ts'
import type { ActionOptions, VaultContext } from '../context.ts'
import { DEFAULT_ACTOR } from '../context.ts'

export type WebhookDeliveryInfo = Readonly<{
  eventId: string
  type: string
  endpoint: string
  state: WebhookDeliveryState
  attempts: number
  nextAttemptAt: string
  lastStatus: number | null
  lastError: string | null
  deliveredAt: string | null
  createdAt: string
  data: unknown
}>

const STATES: readonly WebhookDeliveryState[] = ['pending', 'delivered', 'dead']

function info(delivery: WebhookDelivery): WebhookDeliveryInfo {
  return {
    eventId: delivery.event.id,
    type: delivery.event.type,
    endpoint: delivery.endpoint,
    state: delivery.state,
    attempts: delivery.attempts,
    nextAttemptAt: new Date(delivery.nextAttemptAt).toISOString(),
    lastStatus: delivery.lastStatus,
    lastError: delivery.lastError,
    deliveredAt: delivery.deliveredAt === null ? null : new Date(delivery.deliveredAt).toISOString(),
    createdAt: delivery.event.createdAt,
    data: delivery.event.data,
  }
}

function checkState(state: unknown): WebhookDeliveryState | undefined {
  if (state === undefined) return undefined
  if (!STATES.includes(state as WebhookDeliveryState)) throw invalidInput(`state must be one of ${STATES.join(', ')}`)
  return state as WebhookDeliveryState
}

export function createWebhookService(ctx: VaultContext) {
  const store = createSqlWebhookStore(ctx.store.db, ctx.store.dialect)
  return {
    async list(query: { state?: WebhookDeliveryState; eventId?: string; limit?: number } = {}): Promise<WebhookDeliveryInfo[]> {
      const state = checkState(query.state)
      const limit = query.limit ?? 100
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) throw invalidInput('limit must be between 1 and 1000')
      return (await store.list({ ...(state === undefined ? {} : { state }), ...(query.eventId === undefined ? {} : { eventId: query.eventId }), limit })).map(info)
    },
    /** Makes matching deliveries pending again (attempts reset); an event id or a state is required. */
    async replay(query: { eventId?: string; state?: WebhookDeliveryState; endpoint?: string }, options: ActionOptions = {}): Promise<{ replayed: number }> {
      const state = checkState(query.state)
      if (query.eventId === undefined && state === undefined) throw invalidInput('replay needs an event id or a state (e.g. dead)')
      const replayed = await store.replay({ ...(query.eventId === undefined ? {} : { eventId: query.eventId }), ...(state === undefined ? {} : { state }), ...(query.endpoint === undefined ? {} : { endpoint: query.endpoint }), now: Date.now() })
      await ctx.audit.append({ action: 'webhooks.replay', actor: options.actor ?? DEFAULT_ACTOR, userId: null, subject: query.eventId ?? `state:${state}`, details: { replayed } })
      return { replayed }
    },
    /** POSTs due deliveries to the configured URLs (signed); returns what happened. */
    deliverDue(options: { policy?: Partial<WebhookPolicy>; limit?: number } = {}) {
      const deliverer = createWebhookDeliverer({ store, endpoints: ctx.config.webhooks ?? [], ...(options.policy === undefined ? {} : { policy: options.policy }) })
      return deliverer.processDue(options.limit)
    },
  }
}

export type WebhookService = ReturnType<typeof createWebhookService>
export type { WebhookDeliveryState }
