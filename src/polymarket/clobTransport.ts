/**
 * One CLOB request with retries: fetch, read the body, retry network errors, 5xx and 429
 * (after Retry-After or backoff), give up after the policy's attempts, and turn failures into
 * COFFRE_UPSTREAM_FAILED. Headers are rebuilt for each attempt so L2 timestamps stay fresh.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { backoffDelayMs, defaultRetryPolicy, isRetryableStatus, retryAfterMs, type RetryPolicy } from './retryPolicy.ts'
import { clobErrorText, upstreamFailed } from './upstreamError.ts'

export type FetchLike = (input: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<Response>

export type ClobRequest = {
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  body?: string
  headers: () => Promise<Record<string, string>> | Record<string, string>
}

export type TransportOptions = {
  baseUrl: string
  fetch?: FetchLike
  retry?: Partial<RetryPolicy>
  timeoutMs?: number
  /** Called before every attempt (rate limiting). */
  beforeAttempt?: (request: ClobRequest) => Promise<void>
}

export type ClobTransport = (request: ClobRequest) => Promise<unknown>

export function createClobTransport(options: TransportOptions): ClobTransport {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init))
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry }
  const timeoutMs = options.timeoutMs ?? 15_000

  return async function send(request: ClobRequest): Promise<unknown> {
    let lastStatus = 0
    let lastError = ''
    let lastCause: unknown
    let made = 0
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      await options.beforeAttempt?.(request)
      made = attempt
      let waitMs: number | undefined
      try {
        const headers = { 'Content-Type': 'application/json', Accept: 'application/json', ...(await request.headers()) }
        const init = { method: request.method, headers, signal: AbortSignal.timeout(timeoutMs), ...(request.body === undefined ? {} : { body: request.body }) }
        const response = await doFetch(`${baseUrl}${request.path}`, init)
        const text = await response.text()
        if (response.ok) return text === '' ? null : parseJson(text)
        lastStatus = response.status
        lastError = clobErrorText(text)
        lastCause = undefined
        if (!isRetryableStatus(response.status)) break
        const asked = retryAfterMs(response.headers.get('retry-after'))
        if (asked !== undefined) waitMs = Math.min(asked, policy.maxRetryAfterMs)
      } catch (cause) {
        lastStatus = 0
        lastError = cause instanceof Error ? `${cause.name}: ${cause.message}` : 'network error'
        lastCause = cause
      }
      if (attempt < policy.attempts) await sleep(waitMs ?? backoffDelayMs(policy, attempt))
      else break
    }
    throw upstreamFailed({ method: request.method, path: request.path, status: lastStatus, error: lastError, attempts: made, cause: lastCause })
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
