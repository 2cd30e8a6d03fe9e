/**
 * The one way vault code emits an on-chain event to the bot: stored in the webhook outbox inside
 * the caller's transaction (with the change it reports, or not at all), with one pending delivery
 * per configured webhook URL. Event types: deposit.confirmed, deposit.reverted,
 * onboarding.stage, withdrawal.sent, withdrawal.confirmed, withdrawal.failed.
 */
import type { Kysely, Transaction } from 'kysely'
import { enqueueWebhookEvent } from '../../store/chain/webhookStore.ts'
import type { Database } from '../../store/schema.ts'
import type { VaultContext } from '../context.ts'

export type ChainEventType = 'deposit.confirmed' | 'deposit.reverted' | 'onboarding.stage' | 'withdrawal.sent' | 'withdrawal.confirmed' | 'withdrawal.failed'

export function emitChainEvent(ctx: VaultContext, db: Kysely<Database> | Transaction<Database>, type: ChainEventType, data: Record<string, unknown>, now: number = Date.now()): Promise<string> {
  const endpoints = (ctx.config.webhooks ?? []).map((endpoint) => endpoint.url)
  return enqueueWebhookEvent(db, { type, data, endpoints, now })
}
