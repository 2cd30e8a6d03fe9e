/**
 * Webhook signatures (docs/webhooks.md): `Coffre-Signature: v1=<hex HMAC-SHA256(secret,
 * timestamp + "." + body)>`, with `Coffre-Timestamp` (unix seconds of this attempt) and the
 * stable `Coffre-Event-Id`. The receiver recomputes the HMAC over the raw body, compares in
 * constant time and rejects timestamps outside its tolerance (replays). Several `v1=` entries may
 * appear, comma-separated, while a secret is being rotated.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { assertBytes } from '../../wallet/assertBytes.ts'

export const WEBHOOK_HEADERS = Object.freeze({
  eventId: 'coffre-event-id',
  eventType: 'coffre-event-type',
  timestamp: 'coffre-timestamp',
  signature: 'coffre-signature',
})

export const DEFAULT_TOLERANCE_SECONDS = 300

export function webhookSignature(secret: Uint8Array, timestamp: number, body: string): string {
  assertBytes(secret, 'secret')
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError('timestamp must be unix seconds')
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

export type WebhookVerification = Readonly<{ ok: true; eventId: string; timestamp: number } | { ok: false; reason: 'missing-headers' | 'stale-timestamp' | 'bad-signature' }>

/** Verifies a delivery as a receiver would; `headers` keys are lower-case (Node's IncomingMessage). */
export function verifyWebhook(args: {
  secrets: readonly Uint8Array[]
  headers: Readonly<Record<string, string | string[] | undefined>>
  body: string
  nowSeconds?: number
  toleranceSeconds?: number
}): WebhookVerification {
  const header = (name: string) => {
    const value = args.headers[name]
    return Array.isArray(value) ? value[0] : value
  }
  const eventId = header(WEBHOOK_HEADERS.eventId)
  const timestampText = header(WEBHOOK_HEADERS.timestamp)
  const signatures = header(WEBHOOK_HEADERS.signature)
  if (eventId === undefined || timestampText === undefined || signatures === undefined || !/^\d{1,12}$/u.test(timestampText)) return { ok: false, reason: 'missing-headers' }
  const timestamp = Number(timestampText)
  const now = args.nowSeconds ?? Math.floor(Date.now() / 1000)
  if (Math.abs(now - timestamp) > (args.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { ok: false, reason: 'stale-timestamp' }
  const offered = signatures.split(',').map((s) => s.trim()).filter((s) => s.startsWith('v1='))
  for (const secret of args.secrets) {
    const expected = Buffer.from(webhookSignature(secret, timestamp, args.body))
    if (offered.some((s) => s.length === expected.length && timingSafeEqual(Buffer.from(s), expected))) return { ok: true, eventId, timestamp }
  }
  return { ok: false, reason: 'bad-signature' }
}
