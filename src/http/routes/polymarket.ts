/**
 * Polymarket over HTTP: a user's CLOB API keys (create-or-derive, list, rotate, revoke — replies
 * never carry a secret or passphrase: the closed response schemas have no field for them) and
 * orders (placed through the vault's outbox, read back by hash or listed). Changes need `sign`,
 * reads `users:read`.
 */
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from '../routeContext.ts'
import { CoffreError } from '../../errors.ts'
import type { PlaceOrderInput } from '../../vault/polymarket/orderService.ts'
import { callerOf } from '../guard.ts'
import { bearer, errorReplies, idempotencyHeaders, userIdParams } from '../schemas.ts'

const nullableString = { type: ['string', 'null'] } as const
const credential = {
  type: 'object',
  additionalProperties: false,
  required: ['apiKey', 'kind', 'state', 'address', 'nonce', 'chainId', 'baseUrl', 'createdAt', 'rotatedAt', 'revokedAt'],
  properties: {
    apiKey: { type: 'string' }, kind: { type: 'string' }, state: { type: 'string' }, address: { type: 'string' }, nonce: { type: 'integer' }, chainId: { type: 'integer' },
    baseUrl: { type: 'string' }, createdAt: { type: 'string' }, rotatedAt: nullableString, revokedAt: nullableString,
  },
} as const
const listing = {
  type: 'object',
  additionalProperties: false,
  required: ['stored', 'clobApiKeys'],
  properties: { stored: { type: 'array', items: credential }, clobApiKeys: { type: ['array', 'null'], items: { type: 'string' } } },
} as const
const rotation = {
  type: 'object',
  additionalProperties: false,
  required: ['current', 'revoked', 'verifyAttempts'],
  properties: { current: credential, revoked: { type: 'array', items: { type: 'string' } }, verifyAttempts: { type: 'integer' } },
} as const
const order = {
  type: 'object',
  additionalProperties: false,
  required: ['orderHash', 'userId', 'status', 'attempts', 'lastError', 'clobOrderId', 'clobStatus', 'tokenId', 'side', 'makerAmount', 'takerAmount', 'orderType', 'owner', 'createdAt', 'updatedAt'],
  properties: {
    orderHash: { type: 'string' }, userId: { type: 'string' }, status: { type: 'string', enum: ['pending', 'sent', 'failed'] }, attempts: { type: 'integer' }, lastError: nullableString,
    clobOrderId: nullableString, clobStatus: nullableString, tokenId: { type: 'string' }, side: { type: 'string' }, makerAmount: { type: 'string' }, takerAmount: { type: 'string' },
    orderType: { type: 'string' }, owner: { type: 'string' }, createdAt: { type: 'string' }, updatedAt: { type: 'string' },
  },
} as const
const hexBytes32 = { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' } as const
const placeBody = {
  type: 'object',
  additionalProperties: false,
  required: ['tokenId', 'side', 'price', 'size', 'tickSize', 'negRisk'],
  properties: {
    tokenId: { type: 'string', pattern: '^[0-9]{1,78}$' },
    side: { type: 'string', enum: ['BUY', 'SELL'] },
    price: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    size: { type: 'number', exclusiveMinimum: 0, maximum: 1e12 },
    tickSize: { type: 'string', enum: ['0.1', '0.01', '0.005', '0.0025', '0.001', '0.0001'] },
    negRisk: { type: 'boolean' },
    orderType: { type: 'string', enum: ['GTC', 'GTD', 'FOK', 'FAK'] },
    expiration: { type: 'integer', minimum: 0, maximum: 2 ** 40 },
    signatureType: { type: 'integer', enum: [0, 1, 2] },
    maker: { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' },
    postOnly: { type: 'boolean' },
    deferExec: { type: 'boolean' },
    metadata: hexBytes32,
    builderCode: hexBytes32,
  },
} as const
const keyParams = { type: 'object', additionalProperties: false, required: ['id', 'key'], properties: { ...userIdParams.properties, key: { type: 'string', minLength: 1, maxLength: 200 } } } as const
const hashParams = { type: 'object', additionalProperties: false, required: ['hash'], properties: { hash: hexBytes32 } } as const
const orderQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { userId: userIdParams.properties.id, status: { type: 'string', enum: ['pending', 'sent', 'failed'] }, limit: { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$' } },
} as const

type Params = { id: string }

export async function polymarketRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { vault, guard, idempotent } = ctx
  const credentials = vault.polymarket.credentials
  const tags = ['polymarket']

  app.post<{ Params: Params; Body: { nonce?: number } | undefined }>('/users/:id/polymarket/credentials', {
    onRequest: guard('sign'),
    // A bare POST (no body) is the common call: validate it as {}.
    preValidation: async (request) => {
      if (request.body === undefined || request.body === null) request.body = {}
    },
    preHandler: idempotent,
    schema: {
      tags, summary: "Create the user's CLOB API key, or derive it when it exists (secret and passphrase stay in the vault)", security: bearer, headers: idempotencyHeaders, params: userIdParams,
      body: { type: 'object', additionalProperties: false, properties: { nonce: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } } },
      response: { 200: credential, ...errorReplies },
    },
  }, async (request) => {
    const nonce = request.body?.nonce
    return credentials.createOrDerive({ id: request.params.id }, { ...callerOf(request), ...(nonce === undefined ? {} : { nonce }) })
  })

  app.get<{ Params: Params }>('/users/:id/polymarket/credentials', {
    onRequest: guard('users:read'),
    schema: { tags, summary: 'Stored keys (never secrets) and the keys the CLOB reports for the user', security: bearer, params: userIdParams, response: { 200: listing, ...errorReplies } },
  }, async (request) => credentials.list({ id: request.params.id }, callerOf(request)))

  app.post<{ Params: Params }>('/users/:id/polymarket/credentials/rotate', {
    onRequest: guard('sign'),
    preHandler: idempotent,
    schema: { tags, summary: 'New key (next nonce), verified through its activation window, then the old key deleted', security: bearer, headers: idempotencyHeaders, params: userIdParams, response: { 200: rotation, ...errorReplies } },
  }, async (request) => credentials.rotate({ id: request.params.id }, callerOf(request)))

  app.delete<{ Params: Params & { key: string } }>('/users/:id/polymarket/credentials/:key', {
    onRequest: guard('sign'),
    schema: { tags, summary: 'Delete an API key at the CLOB and mark it revoked', security: bearer, params: keyParams, response: { 200: credential, ...errorReplies } },
  }, async (request) => credentials.revoke({ id: request.params.id }, request.params.key, callerOf(request)))

  app.post<{ Params: Params; Body: PlaceOrderInput }>('/users/:id/polymarket/orders', {
    onRequest: guard('sign'),
    preHandler: idempotent,
    schema: {
      tags, summary: 'Build and sign a V2 limit order with the user\'s key, store it in the outbox, send it (status pending means it will be retried)', security: bearer, headers: idempotencyHeaders,
      params: userIdParams, body: placeBody, response: { 200: order, ...errorReplies },
    },
  }, async (request) => vault.polymarket.orders.place({ id: request.params.id }, request.body, callerOf(request)))

  app.get<{ Params: { hash: string } }>('/polymarket/orders/:hash', {
    onRequest: guard('users:read'),
    schema: { tags, summary: 'An order by hash: status and the CLOB\'s reply or error text', security: bearer, params: hashParams, response: { 200: order, ...errorReplies } },
  }, async (request) => {
    const found = await vault.polymarket.orders.get(request.params.hash)
    if (found === null) throw new CoffreError('COFFRE_NOT_FOUND', 'no order has this hash')
    return found
  })

  app.get<{ Querystring: { userId?: string; status?: 'pending' | 'sent' | 'failed'; limit?: string } }>('/polymarket/orders', {
    onRequest: guard('users:read'),
    schema: {
      tags, summary: 'Orders, oldest first, optionally of one user and one status', security: bearer, querystring: orderQuery,
      response: { 200: { type: 'object', additionalProperties: false, required: ['orders'], properties: { orders: { type: 'array', items: order } } }, ...errorReplies },
    },
  }, async (request) => {
    const { userId, status, limit } = request.query
    const orders = await vault.polymarket.orders.list({ ...(userId === undefined ? {} : { userRef: { id: userId } }), ...(status === undefined ? {} : { status }), ...(limit === undefined ? {} : { limit: Number(limit) }) })
    return { orders }
  })
}
