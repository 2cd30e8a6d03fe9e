/**
 * When and how long to wait before retrying a CLOB request: network errors, 5xx and 429 are
 * retried with exponential backoff and full jitter, bounded in attempts; a 429's Retry-After
 * (seconds or HTTP date) is honoured, capped by `maxRetryAfterMs`. Other 4xx are final.
 */
export type RetryPolicy = Readonly<{
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  maxRetryAfterMs: number
}>

export const defaultRetryPolicy: RetryPolicy = Object.freeze({ attempts: 4, baseDelayMs: 250, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 })

export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599)
}

/** Delay before retry number `retry` (1 = first retry): full jitter over base·2^(retry−1). */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1))
  return Math.floor(random() * ceiling)
}

/** Milliseconds a Retry-After header asks for, or undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined
  const text = header.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}
