/**
 * HTTP client for the CLOB endpoints Coffre uses: API-key lifecycle (L1 create/derive, L2
 * list/delete, read-only keys) and order submission. Paths and methods are the official
 * client's; bodies are sent exactly as they were signed. Retries, Retry-After and error
 * mapping live in the transport; local rate limiting runs before every attempt.
 */
import { invalidInput } from '../errors.ts'
import { createClobTransport, type ClobRequest, type FetchLike } from './clobTransport.ts'
import { isPolymarketChainId } from './contracts.ts'
import type { EvmDigestSigner } from './evmSigner.ts'
import { createL1Headers } from './l1Headers.ts'
import { createL2Headers, type ApiCredentials } from './l2Headers.ts'
import type { ClobRateLimiter, ClobRoute } from './rateLimits.ts'
import type { RetryPolicy } from './retryPolicy.ts'
import { upstreamFailed, upstreamFailure } from './upstreamError.ts'

export type L2Auth = { address: string; credentials: ApiCredentials }

export type OrderResponse = {
  success: boolean
  errorMsg: string
  orderID: string
  status?: string
  [field: string]: unknown
}

export type ClobClientOptions = {
  baseUrl: string
  chainId: number
  fetch?: FetchLike
  rateLimiter?: ClobRateLimiter
  retry?: Partial<RetryPolicy>
  timeoutMs?: number
}

export type ClobClient = ReturnType<typeof createClobClient>

function routeOf(request: ClobRequest): ClobRoute {
  if (request.path.startsWith('/auth/')) return 'auth'
  return request.method === 'POST' && request.path === '/order' ? 'order' : 'other'
}

function toCredentials(reply: unknown, path: string): ApiCredentials {
  const r = (reply ?? {}) as Record<string, unknown>
  if (typeof r.apiKey !== 'string' || typeof r.secret !== 'string' || typeof r.passphrase !== 'string' || r.apiKey === '') {
    throw upstreamFailed({ method: 'GET', path, status: 200, error: 'reply carries no API credentials', attempts: 1 })
  }
  return { key: r.apiKey, secret: r.secret, passphrase: r.passphrase }
}

function keyList(reply: unknown): string[] {
  const list = Array.isArray(reply) ? reply : (reply as { apiKeys?: unknown } | null)?.apiKeys
  if (!Array.isArray(list)) return []
  return list.map((k) => (typeof k === 'string' ? k : String((k as { key?: unknown; apiKey?: unknown }).apiKey ?? (k as { key?: unknown }).key)))
}

export function createClobClient(options: ClobClientOptions) {
  if (typeof options?.baseUrl !== 'string' || !/^https?:\/\//.test(options.baseUrl)) throw invalidInput('baseUrl must be an http(s) URL')
  if (!isPolymarketChainId(options.chainId)) throw invalidInput('chainId must be 137 or 80002')
  const chainId = options.chainId
  const userOf = new WeakMap<ClobRequest, string>()
  const transport = createClobTransport({
    baseUrl: options.baseUrl,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    beforeAttempt: async (request) => {
      await options.rateLimiter?.acquire({ userKey: userOf.get(request) ?? 'anonymous', route: routeOf(request) })
    },
  })

  const send = (userKey: string, request: ClobRequest) => {
    userOf.set(request, userKey)
    return transport(request)
  }

  const l1 = (signer: EvmDigestSigner, method: 'GET' | 'POST', path: string, nonce?: number | bigint) =>
    send(signer.address, {
      method,
      path,
      headers: () => createL1Headers(signer, { chainId, ...(nonce === undefined ? {} : { nonce }) }) as Promise<Record<string, string>>,
    })

  const l2 = (auth: L2Auth, method: 'GET' | 'POST' | 'DELETE', path: string, body?: string) =>
    send(auth.address, {
      method,
      path,
      ...(body === undefined ? {} : { body }),
      headers: () => createL2Headers(auth.credentials, { address: auth.address, method, path, ...(body === undefined ? {} : { body }) }),
    })

  async function createApiKey(signer: EvmDigestSigner, opts: { nonce?: number | bigint } = {}): Promise<ApiCredentials> {
    return toCredentials(await l1(signer, 'POST', '/auth/api-key', opts.nonce), '/auth/api-key')
  }

  async function deriveApiKey(signer: EvmDigestSigner, opts: { nonce?: number | bigint } = {}): Promise<ApiCredentials> {
    return toCredentials(await l1(signer, 'GET', '/auth/derive-api-key', opts.nonce), '/auth/derive-api-key')
  }

  return {
    chainId,
    createApiKey,
    deriveApiKey,
    /** Create; when the CLOB refuses (a key already exists for this nonce), derive the existing one. */
    async createOrDeriveApiKey(signer: EvmDigestSigner, opts: { nonce?: number | bigint } = {}): Promise<ApiCredentials> {
      try {
        return await createApiKey(signer, opts)
      } catch (error) {
        const failure = upstreamFailure(error)
        const refused = failure !== undefined && failure.status >= 400 && failure.status < 500 && failure.status !== 429
        const empty = failure !== undefined && failure.status === 200
        if (!refused && !empty) throw error
        return deriveApiKey(signer, opts)
      }
    },
    async getApiKeys(auth: L2Auth): Promise<string[]> {
      return keyList(await l2(auth, 'GET', '/auth/api-keys'))
    },
    /** Deletes the API key `auth` authenticates with. */
    async deleteApiKey(auth: L2Auth): Promise<void> {
      await l2(auth, 'DELETE', '/auth/api-key')
    },
    async createReadonlyApiKey(auth: L2Auth): Promise<string> {
      const reply = (await l2(auth, 'POST', '/auth/readonly-api-key')) as { apiKey?: unknown } | null
      if (typeof reply?.apiKey !== 'string') throw upstreamFailed({ method: 'POST', path: '/auth/readonly-api-key', status: 200, error: 'reply carries no apiKey', attempts: 1 })
      return reply.apiKey
    },
    async getReadonlyApiKeys(auth: L2Auth): Promise<string[]> {
      return keyList(await l2(auth, 'GET', '/auth/readonly-api-keys'))
    },
    async deleteReadonlyApiKey(auth: L2Auth, key: string): Promise<void> {
      if (typeof key !== 'string' || key === '') throw invalidInput('key must be a read-only API key')
      await l2(auth, 'DELETE', '/auth/readonly-api-key', JSON.stringify({ key }))
    },
    /** POST /order with `body` exactly as serialized (serializeOrderPayload); the L2 HMAC signs the same bytes. */
    async postOrder(auth: L2Auth, body: string): Promise<OrderResponse> {
      if (typeof body !== 'string' || body === '') throw invalidInput('body must be the serialized order payload')
      return (await l2(auth, 'POST', '/order', body)) as OrderResponse
    },
    async getOrder(auth: L2Auth, orderId: string): Promise<unknown> {
      if (typeof orderId !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(orderId)) throw invalidInput('orderId must be an order hash')
      return l2(auth, 'GET', `/data/order/${orderId}`)
    },
  }
}
