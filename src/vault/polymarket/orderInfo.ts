/** An outbox row as the vault reports it: status, the CLOB's reply or error text, and the order's terms. */
import type { OutboxOrder } from '../../store/orderOutbox.ts'

export type OrderInfo = {
  readonly orderHash: string
  readonly userId: string
  readonly status: 'pending' | 'sent' | 'failed'
  readonly attempts: number
  /** The CLOB's error text (or the network failure) of the last failed attempt. */
  readonly lastError: string | null
  readonly clobOrderId: string | null
  /** The CLOB's status for an accepted order (e.g. live, matched, delayed). */
  readonly clobStatus: string | null
  readonly tokenId: string
  readonly side: string
  readonly makerAmount: string
  readonly takerAmount: string
  readonly orderType: string
  readonly owner: string
  readonly createdAt: string
  readonly updatedAt: string
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)

export function toOrderInfo(row: OutboxOrder): OrderInfo {
  const body = JSON.parse(row.body) as { owner?: unknown; orderType?: unknown; order?: Record<string, unknown> }
  let response: Record<string, unknown> = {}
  try {
    response = row.response === null ? {} : (JSON.parse(row.response) as Record<string, unknown>) ?? {}
  } catch {
    response = {}
  }
  return {
    orderHash: row.orderHash,
    userId: row.userId,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    clobOrderId: text(response.orderID),
    clobStatus: text(response.status),
    tokenId: String(body.order?.tokenId ?? ''),
    side: String(body.order?.side ?? ''),
    makerAmount: String(body.order?.makerAmount ?? ''),
    takerAmount: String(body.order?.takerAmount ?? ''),
    orderType: String(body.orderType ?? ''),
    owner: String(body.owner ?? ''),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  }
}
