/**
 * The transport under openapi-fetch: one logical request, tried up to `retry.attempts` times.
 * - POSTs get an Idempotency-Key (a random UUID unless the caller gave one) before the first
 *   try, so every retry carries the same key and the server runs the work at most once.
 * - Retried: network failures and per-try timeouts, and 429/500/502/503/504 replies, for GET and
 *   keyed POST; a DELETE only on 429 and 503, which Coffre sends before acting (a DELETE whose
 *   reply was lost could otherwise be retried into a 404).
 * - Every reply's Coffre-Api-Version is checked before anything else reads it.
 * Only fetch, Request, Headers, AbortController, setTimeout and globalThis.crypto.randomUUID:
 * the same code runs in Node, Bun, Deno and browsers.
 */
import { assertServerVersion } from './apiVersion.ts'
import { CoffreApiError } from './coffreApiError.ts'
import { parseRetryAfter, retryDelayMs, type RetryPolicy } from './retryPolicy.ts'

export type FetchFunction = (input: Request) => Promise<Response>

export type TransportOptions = {
  readonly retry: RetryPolicy
  /** Per-try timeout in ms. */
  readonly timeoutMs: number
  readonly fetch?: FetchFunction
  /** For tests: the jitter source and the clock's sleep. */
  readonly random?: () => number
  readonly sleep?: (ms: number, signal: AbortSignal | null) => Promise<void>
}

const RETRYABLE = new Set([429, 500, 502, 503, 504])
const RETRYABLE_DELETE = new Set([429, 503])

function abortableSleep(ms: number, signal: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** A signal that fires when the caller's does or after `timeoutMs`; `timedOut()` tells which. */
function attemptSignal(callerSignal: AbortSignal | null, timeoutMs: number) {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort(new Error(`no reply within ${timeoutMs} ms`))
  }, timeoutMs)
  const onAbort = () => controller.abort(callerSignal?.reason)
  if (callerSignal?.aborted) controller.abort(callerSignal.reason)
  else callerSignal?.addEventListener('abort', onAbort, { once: true })
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    done() {
      clearTimeout(timer)
      callerSignal?.removeEventListener('abort', onAbort)
    },
  }
}

export function createCoffreFetch(options: TransportOptions): FetchFunction {
  const send = options.fetch ?? ((request: Request) => globalThis.fetch(request))
  const sleep = options.sleep ?? abortableSleep
  const random = options.random ?? Math.random
  const { retry, timeoutMs } = options

  return async (request) => {
    const method = request.method.toUpperCase()
    const headers = new Headers(request.headers)
    if (method === 'POST' && !headers.has('idempotency-key')) headers.set('idempotency-key', globalThis.crypto.randomUUID())
    const keyed = method === 'POST'
    const retriesNetwork = method === 'GET' || method === 'HEAD' || keyed
    const retryable = method === 'DELETE' ? RETRYABLE_DELETE : RETRYABLE
    const body = method === 'GET' || method === 'HEAD' ? undefined : await request.arrayBuffer()
    const callerSignal = request.signal ?? null

    for (let attempt = 1; ; attempt++) {
      const last = attempt >= retry.attempts
      const guard = attemptSignal(callerSignal, timeoutMs)
      let response: Response
      try {
        response = await send(new Request(request.url, { method, headers, signal: guard.signal, redirect: 'error', ...(body === undefined || body.byteLength === 0 ? {} : { body }) }))
      } catch (cause) {
        if (callerSignal?.aborted) throw callerSignal.reason ?? cause
        const why = guard.timedOut() ? `no reply within ${timeoutMs} ms` : cause instanceof Error ? cause.message : String(cause)
        if (last || !retriesNetwork) {
          throw new CoffreApiError('COFFRE_NETWORK_FAILED', 0, `${method} ${new URL(request.url).pathname}: ${why} (after ${attempt} ${attempt === 1 ? 'try' : 'tries'})`, { cause })
        }
        await sleep(retryDelayMs(retry, attempt, undefined, random) ?? 0, callerSignal)
        continue
      } finally {
        guard.done()
      }
      assertServerVersion(response)
      if (last || !retryable.has(response.status)) return response
      const delay = retryDelayMs(retry, attempt, parseRetryAfter(response.headers.get('retry-after')), random)
      if (delay === undefined) return response
      await response.body?.cancel().catch(() => undefined)
      await sleep(delay, callerSignal)
    }
  }
}
