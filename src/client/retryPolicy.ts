/**
 * When and how long the client waits before trying a request again: exponential backoff with
 * full jitter (AWS's "full jitter"), or the server's Retry-After plus a little jitter so clients
 * told the same delay do not return together. A Retry-After longer than `maxRetryAfterMs` is not
 * waited for: the error goes back to the caller with the delay in `retryAfterSeconds`.
 */
export type RetryOptions = {
  /** Tries in all, the first included (default 4; 1 turns retrying off). */
  readonly attempts?: number
  /** First backoff ceiling in ms (default 200), doubled each try. */
  readonly baseDelayMs?: number
  /** Backoff ceiling in ms (default 5,000). */
  readonly maxDelayMs?: number
  /** Longest Retry-After the client waits for, in ms (default 30,000). */
  readonly maxRetryAfterMs?: number
}

export type RetryPolicy = Required<RetryOptions>

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 }

export function retryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return { ...DEFAULT_RETRY, attempts: 1 }
  const policy = { ...DEFAULT_RETRY, ...options }
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) throw new RangeError('retry.attempts must be an integer of at least 1')
  for (const key of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    if (!Number.isFinite(policy[key]) || policy[key] < 0) throw new RangeError(`retry.${key} must be a non-negative number`)
  }
  return policy
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const text = value.trim()
  if (/^[0-9]+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * The wait before try number `attempt + 1` (attempt counts from 1), or undefined when the server
 * asked for a longer wait than the policy allows.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined, random: () => number = Math.random): number | undefined {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  if (retryAfterMs === undefined) return Math.floor(random() * ceiling)
  if (retryAfterMs > policy.maxRetryAfterMs) return undefined
  return retryAfterMs + Math.floor(random() * Math.min(ceiling, 1_000))
}
