/**
 * `createCoffreClient({ baseUrl, token })`: a typed client for every /v1 route of a Coffre
 * service, on openapi-fetch with the types generated from /openapi.json (openapi.ts).
 *
 *   const coffre = createCoffreClient({ baseUrl: 'http://127.0.0.1:8787', token: process.env.COFFRE_TOKEN! })
 *   const user = await coffre.users.create({ telegramUserId: 42, username: 'alice' })
 *   const { signature } = await coffre.sign.message(user.id, { chain: 'polygon', message: 'hello' })
 *
 * Failures are CoffreApiError (code, status, message). POSTs carry an Idempotency-Key; network
 * failures, timeouts, 429 and 5xx are retried (coffreFetch.ts, retryPolicy.ts).
 */
import createClient from 'openapi-fetch'
import type { paths } from './openapi.ts'
import { COFFRE_API_MAJOR, COFFRE_API_VERSION_HEADER } from './apiVersion.ts'
import { createCoffreFetch, type FetchFunction } from './coffreFetch.ts'
import { operatorMethods } from './operatorMethods.ts'
import { derivedKeyMethods, pairMethods } from './pairMethods.ts'
import { polymarketMethods } from './polymarketMethods.ts'
import { chainMethods } from './chainMethods.ts'
import { retryPolicy, type RetryOptions } from './retryPolicy.ts'
import { signingMethods } from './signingMethods.ts'
import { userMethods } from './userMethods.ts'
import { guardianMethods, recoveryMethods } from './recoveryMethods.ts'
import { safeMethods } from './safeMethods.ts'

export type CoffreClientOptions = {
  /** The service's origin, e.g. http://127.0.0.1:8787 (no /v1). */
  readonly baseUrl: string
  /** A bearer token from `coffre tokens create` (cfr_…). */
  readonly token: string
  /** Retry policy, or false for a single try. */
  readonly retry?: RetryOptions | false
  /** Per-try timeout in ms (default 60,000: an order may wait on the CLOB). */
  readonly timeoutMs?: number
  /** A fetch to use instead of globalThis.fetch (a proxy agent, a test double). */
  readonly fetch?: FetchFunction
}

export function createCoffreClient(options: CoffreClientOptions) {
  if (typeof options.baseUrl !== 'string' || !/^https?:\/\//.test(options.baseUrl)) throw new TypeError('baseUrl must be an http(s) URL')
  if (typeof options.token !== 'string' || options.token.length === 0) throw new TypeError('token must be a non-empty string')
  const timeoutMs = options.timeoutMs ?? 60_000
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError('timeoutMs must be a positive number')
  const api = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${options.token}`, [COFFRE_API_VERSION_HEADER]: String(COFFRE_API_MAJOR) },
    fetch: createCoffreFetch({ retry: retryPolicy(options.retry), timeoutMs, ...(options.fetch === undefined ? {} : { fetch: options.fetch }) }),
  })
  const operator = operatorMethods(api)
  return {
    /** The major version of the HTTP API this client speaks. */
    apiMajorVersion: COFFRE_API_MAJOR,
    users: userMethods(api),
    sign: signingMethods(api),
    derivedKeys: derivedKeyMethods(api),
    pairs: pairMethods(api),
    guardians: guardianMethods(api),
    recovery: recoveryMethods(api),
    safe: safeMethods(api),
    polymarket: polymarketMethods(api),
    chain: chainMethods(api),
    keys: operator.keys,
    audit: operator.audit,
    doctor: operator.doctor,
    /** Signing policies (admin): versions, dry runs. */
    policies: operator.policies,
    /** The underlying openapi-fetch client, typed by the same document, for anything not wrapped above. */
    api,
  }
}

export type CoffreClient = ReturnType<typeof createCoffreClient>
