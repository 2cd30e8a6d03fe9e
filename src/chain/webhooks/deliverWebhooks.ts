/**
 * Delivers due webhooks: each leased delivery is POSTed as `{"id","type","createdAt","data"}`
 * with the event id, type, timestamp and HMAC signature headers (webhookSignature.ts), redirects
 * not followed, within a timeout. A 2xx reply delivers it; anything else is retried after an
 * exponential backoff with jitter (base · 2^(attempt−1), capped) until `maxAttempts`, then the
 * delivery is dead (replayable). At least once: a receiver must deduplicate by event id.
 */
import { redactUrlsIn } from '../rpc/rpcError.ts'
import { WEBHOOK_HEADERS, webhookSignature } from './webhookSignature.ts'
import type { WebhookDelivery, WebhookOutboxStore } from '../../store/chain/webhookOutbox.ts'

export type WebhookEndpoint = Readonly<{ url: string; secret: Uint8Array }>

export type WebhookPolicy = Readonly<{ maxAttempts: number; baseDelayMs: number; maxDelayMs: number; timeoutMs: number; leaseMs: number }>
export const defaultWebhookPolicy: WebhookPolicy = Object.freeze({ maxAttempts: 12, baseDelayMs: 5_000, maxDelayMs: 3_600_000, timeoutMs: 10_000, leaseMs: 60_000 })

export type WebhookDeliverer = Readonly<{ processDue(limit?: number): Promise<{ delivered: number; failed: number; dead: number }> }>

export function webhookBody(delivery: WebhookDelivery): string {
  const { id, type, createdAt, data } = delivery.event
  return JSON.stringify({ id, type, createdAt, data })
}

export function createWebhookDeliverer(deps: {
  store: WebhookOutboxStore
  endpoints: readonly WebhookEndpoint[]
  policy?: Partial<WebhookPolicy>
  now?: () => number
  random?: () => number
}): WebhookDeliverer {
  const policy = { ...defaultWebhookPolicy, ...deps.policy }
  const now = deps.now ?? Date.now
  const random = deps.random ?? Math.random
  const secrets = new Map(deps.endpoints.map((e) => [e.url, e.secret]))

  async function post(delivery: WebhookDelivery, secret: Uint8Array): Promise<number> {
    const body = webhookBody(delivery)
    const timestamp = Math.floor(now() / 1000)
    const reply = await fetch(delivery.endpoint, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(policy.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Coffre-Webhooks/1',
        [WEBHOOK_HEADERS.eventId]: delivery.event.id,
        [WEBHOOK_HEADERS.eventType]: delivery.event.type,
        [WEBHOOK_HEADERS.timestamp]: String(timestamp),
        [WEBHOOK_HEADERS.signature]: webhookSignature(secret, timestamp, body),
      },
      body,
    })
    await reply.body?.cancel()
    return reply.status
  }

  return {
    async processDue(limit = 50) {
      const counts = { delivered: 0, failed: 0, dead: 0 }
      const claimed = await deps.store.claimDue({ now: now(), limit, leaseMs: policy.leaseMs })
      await Promise.all(
        claimed.map(async (delivery) => {
          const secret = secrets.get(delivery.endpoint)
          let status: number | null = null
          let error: string
          if (secret === undefined) error = 'endpoint is no longer configured'
          else {
            try {
              status = await post(delivery, secret)
              if (status >= 200 && status < 300) {
                await deps.store.markDelivered(delivery.event.id, delivery.endpoint, { status, at: now() })
                counts.delivered++
                return
              }
              error = `HTTP ${status}`
            } catch (cause) {
              error = redactUrlsIn(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)).slice(0, 300)
            }
          }
          const dead = delivery.attempts >= policy.maxAttempts || secret === undefined
          const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, delivery.attempts - 1))
          const nextAttemptAt = dead ? null : now() + Math.ceil(ceiling / 2 + (random() * ceiling) / 2)
          await deps.store.markFailed(delivery.event.id, delivery.endpoint, { status, error, nextAttemptAt, at: now() })
          if (dead) counts.dead++
          else counts.failed++
        }),
      )
      return counts
    },
  }
}
