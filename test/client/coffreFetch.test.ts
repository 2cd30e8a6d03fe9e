/**
 * The client's transport over a real socket: Idempotency-Key on POSTs, stable across retries;
 * retries of dropped connections, timeouts, 429 and 5xx with Retry-After honoured; DELETE only on
 * replies sent before acting; the caller's abort; a server of another major version refused.
 * Waits are recorded instead of slept (the transport's sleep is injected), so nothing here is timed.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createCoffreClient, isCoffreApiError } from '../../src/client/index.ts'
import { createCoffreFetch } from '../../src/client/coffreFetch.ts'
import { retryPolicy, type RetryOptions } from '../../src/client/retryPolicy.ts'
import { startScriptedServer, type Step } from './scriptedServer.ts'

const V1 = { 'coffre-api-version': '1.0.0' }
const ok = (body: unknown = { fine: true }): Step => ({ status: 200, headers: V1, body })
const coffreError = (status: number, code: string, headers: Record<string, string> = {}): Step => ({ status, headers: { ...V1, ...headers }, body: { error: { code, message: `${code} from the script` } } })

async function withServer<T>(script: Step[], fn: (server: Awaited<ReturnType<typeof startScriptedServer>>) => Promise<T>): Promise<T> {
  const server = await startScriptedServer(script)
  try {
    return await fn(server)
  } finally {
    await server.stop()
  }
}

function transport(retry: RetryOptions = {}, timeoutMs = 2_000) {
  const waits: number[] = []
  const fetch = createCoffreFetch({ retry: retryPolicy(retry), timeoutMs, random: () => 0.5, sleep: async (ms) => void waits.push(ms) })
  return { fetch, waits }
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })

describe('createCoffreFetch', () => {
  test('a POST gets one Idempotency-Key that every retry repeats, with the same body', () =>
    withServer([coffreError(503, 'COFFRE_STORE_FAILED', { 'retry-after': '2' }), { drop: true }, coffreError(500, 'COFFRE_INTERNAL'), ok({ done: 1 })], async (server) => {
      const { fetch, waits } = transport()
      const response = await fetch(post(`${server.url}/v1/users`, { telegramUserId: 1 }))
      assert.equal(response.status, 200)
      assert.deepEqual(await response.json(), { done: 1 })
      assert.equal(server.received.length, 4)
      const keys = new Set(server.received.map((r) => r.headers['idempotency-key']))
      assert.equal(keys.size, 1)
      assert.match([...keys][0] as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      assert.deepEqual(new Set(server.received.map((r) => r.body)), new Set(['{"telegramUserId":1}']))
      // Retry-After 2 s plus at most 1 s of jitter; then backoff with full jitter (random 0.5) of 400 ms, 800 ms ceilings.
      assert.deepEqual(waits, [2_000 + Math.floor(0.5 * 200), 200, 400])
    }))

  test("the caller's Idempotency-Key is kept; two calls without one get different keys", () =>
    withServer([], async (server) => {
      const { fetch } = transport()
      await fetch(post(`${server.url}/v1/users`, {}, { 'idempotency-key': 'start-42' }))
      await fetch(post(`${server.url}/v1/users`, {}))
      await fetch(post(`${server.url}/v1/users`, {}))
      assert.equal(server.received[0]!.headers['idempotency-key'], 'start-42')
      assert.notEqual(server.received[1]!.headers['idempotency-key'], server.received[2]!.headers['idempotency-key'])
    }))

  test('gives up after `attempts` tries of a dead connection with COFFRE_NETWORK_FAILED', () =>
    withServer([{ drop: true }, { drop: true }, { drop: true }, ok()], async (server) => {
      const { fetch } = transport({ attempts: 3 })
      await assert.rejects(fetch(new Request(`${server.url}/v1/users/x`)), (e: unknown) => isCoffreApiError(e) && e.code === 'COFFRE_NETWORK_FAILED' && e.status === 0 && /after 3 tries/.test(e.message))
      assert.equal(server.received.length, 3)
    }))

  test('a try that gets no reply times out and is retried', () =>
    withServer([{ hang: true }, ok({ late: false })], async (server) => {
      const { fetch } = transport({}, 300)
      const response = await fetch(new Request(`${server.url}/v1/keys`))
      assert.deepEqual(await response.json(), { late: false })
      assert.equal(server.received.length, 2)
    }))

  test('429 is retried after its Retry-After; a Retry-After beyond the limit is handed back at once', () =>
    withServer([coffreError(429, 'COFFRE_RATE_LIMITED', { 'retry-after': '1' }), ok(), coffreError(429, 'COFFRE_RATE_LIMITED', { 'retry-after': '3600' }), ok()], async (server) => {
      const { fetch, waits } = transport({ maxRetryAfterMs: 10_000 })
      assert.equal((await fetch(new Request(`${server.url}/v1/users`))).status, 200)
      assert.equal(waits[0], 1_000 + 100)
      const tooLong = await fetch(new Request(`${server.url}/v1/users`))
      assert.equal(tooLong.status, 429)
      assert.equal(server.received.length, 3, 'the one-hour wait was not waited for')
    }))

  test('a DELETE is not retried through a 500 or a lost reply, but is through 429 and 503', () =>
    withServer([coffreError(500, 'COFFRE_INTERNAL'), { drop: true }, coffreError(503, 'COFFRE_STORE_FAILED'), ok()], async (server) => {
      const { fetch } = transport()
      assert.equal((await fetch(new Request(`${server.url}/v1/pairs/p`, { method: 'DELETE' }))).status, 500)
      await assert.rejects(fetch(new Request(`${server.url}/v1/pairs/p`, { method: 'DELETE' })), (e: unknown) => isCoffreApiError(e) && e.code === 'COFFRE_NETWORK_FAILED')
      assert.equal((await fetch(new Request(`${server.url}/v1/pairs/p`, { method: 'DELETE' }))).status, 200)
      assert.equal(server.received.length, 4)
    }))

  test("the caller's abort stops the retries and rejects with its reason", () =>
    withServer([coffreError(503, 'COFFRE_STORE_FAILED'), ok()], async (server) => {
      const controller = new AbortController()
      const fetch = createCoffreFetch({ retry: retryPolicy({}), timeoutMs: 2_000, sleep: async (_ms, signal) => {
        controller.abort(new Error('bot shutting down'))
        if (signal?.aborted) throw signal.reason
      } })
      await assert.rejects(fetch(new Request(`${server.url}/v1/users`, { signal: controller.signal })), /bot shutting down/)
      assert.equal(server.received.length, 1)
    }))

  test('a reply from a server of another major version is refused, whatever its status', () =>
    withServer([{ status: 200, headers: { 'coffre-api-version': '2.0.0' }, body: { users: [] } }, { status: 200, headers: { 'coffre-api-version': '1.9.3' }, body: {} }], async (server) => {
      const { fetch } = transport()
      await assert.rejects(fetch(new Request(`${server.url}/v1/users`)), (e: unknown) => isCoffreApiError(e) && e.code === 'COFFRE_API_VERSION_UNSUPPORTED' && /speaks Coffre API 2\.0\.0; this client speaks 1\.x/.test(e.message))
      assert.equal((await fetch(new Request(`${server.url}/v1/users`))).status, 200, 'a newer minor is fine')
    }))
})

describe('createCoffreClient errors', () => {
  test('a Coffre error becomes CoffreApiError with its code, status, message and Retry-After', () =>
    withServer([coffreError(429, 'COFFRE_RATE_LIMITED', { 'retry-after': '120' }), coffreError(404, 'COFFRE_NOT_FOUND')], async (server) => {
      const client = createCoffreClient({ baseUrl: server.url, token: 'cfr_test', retry: { maxRetryAfterMs: 1_000 } })
      await assert.rejects(client.users.get('u1'), (e: unknown) => isCoffreApiError(e) && e.code === 'COFFRE_RATE_LIMITED' && e.status === 429 && e.retryAfterSeconds === 120)
      await assert.rejects(client.users.get('u1'), (e: unknown) => isCoffreApiError(e) && e.code === 'COFFRE_NOT_FOUND' && e.status === 404 && e.message === 'COFFRE_NOT_FOUND from the script')
      const [first] = server.received
      assert.equal(first!.headers.authorization, 'Bearer cfr_test')
      assert.equal(first!.headers['coffre-api-version'], '1', 'the client states the major it speaks')
    }))

  test("a reply that is not Coffre's (a proxy's error page) is COFFRE_UPSTREAM_FAILED", () =>
    withServer([{ status: 502, body: '<html>Bad Gateway</html>' }], async (server) => {
      const client = createCoffreClient({ baseUrl: server.url, token: 'cfr_test', retry: false })
      await assert.rejects(client.audit.verify(), (e: unknown) => isCoffreApiError(e) && e.code === 'COFFRE_UPSTREAM_FAILED' && e.status === 502)
    }))

  test('a success status carrying an error (202 approval required) is an error', () =>
    withServer([coffreError(202, 'COFFRE_APPROVAL_REQUIRED')], async (server) => {
      const client = createCoffreClient({ baseUrl: server.url, token: 'cfr_test' })
      await assert.rejects(client.sign.message('u1', { chain: 'polygon', message: 'x' }), (e: unknown) => isCoffreApiError(e) && e.code === 'COFFRE_APPROVAL_REQUIRED' && e.status === 202)
    }))
})
