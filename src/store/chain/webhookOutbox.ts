/**
 * The webhook outbox's storage contract (SQL: src/store/chain/webhookStore.ts). An event is
 * stored once with its stable id; each configured endpoint gets a delivery row that is retried
 * with exponential backoff until it is delivered, or dead after the attempt limit. Dead (or any)
 * deliveries can be replayed.
 */
export type WebhookDeliveryState = 'pending' | 'delivered' | 'dead'

export type WebhookEvent = Readonly<{ id: string; type: string; data: unknown; createdAt: string }>

export type WebhookDelivery = Readonly<{
  eventId: string
  endpoint: string
  state: WebhookDeliveryState
  /** Attempts started (each claim counts one). */
  attempts: number
  nextAttemptAt: number
  lastStatus: number | null
  lastError: string | null
  deliveredAt: number | null
  event: WebhookEvent
}>

export interface WebhookOutboxStore {
  /** Stores an event and one pending delivery per endpoint; returns the event id. */
  enqueue(event: { type: string; data: unknown; endpoints: readonly string[]; now: number }): Promise<string>
  claimDue(args: { now: number; limit: number; leaseMs: number }): Promise<WebhookDelivery[]>
  markDelivered(eventId: string, endpoint: string, args: { status: number; at: number }): Promise<void>
  markFailed(eventId: string, endpoint: string, args: { status: number | null; error: string; nextAttemptAt: number | null; at: number }): Promise<void>
  /** Makes matching deliveries pending again (attempts reset); returns how many. */
  replay(args: { eventId?: string; endpoint?: string; state?: WebhookDeliveryState; now: number }): Promise<number>
  list(args?: { state?: WebhookDeliveryState; eventId?: string; limit?: number }): Promise<WebhookDelivery[]>
}
