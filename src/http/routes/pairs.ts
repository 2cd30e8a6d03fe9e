/** Pairs (seed 004): CRUD, extra keys, membership. Reads need users:read, changes users:write. */
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from '../routeContext.ts'
import { CoffreError } from '../../errors.ts'
import { callerOf } from '../guard.ts'
import { bearer, errorReplies, idempotencyHeaders } from '../schemas.ts'
import { derivedCount, publicKeyHex } from './derive.ts'

const uuid = { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' } as const
const userId = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' } as const
const keyList = { type: 'array', minItems: 1, maxItems: 1000, items: publicKeyHex } as const

const pair = {
  type: 'object',
  additionalProperties: false,
  required: ['uuid', 'label', 'userId', 'publicKeys', 'derivedCount', 'createdAt', 'updatedAt'],
  properties: {
    uuid: { type: 'string' },
    label: { type: ['string', 'null'] },
    userId: { type: ['string', 'null'] },
    publicKey: { type: 'string' },
    publicKeys: { type: 'array', items: { type: 'string' } },
    derivedCount: { type: 'integer' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
}
const pairPage = { type: 'object', additionalProperties: false, required: ['pairs', 'nextCursor'], properties: { pairs: { type: 'array', items: pair }, nextCursor: { type: ['string', 'null'] } } }
const uuidParams = { type: 'object', additionalProperties: false, required: ['uuid'], properties: { uuid } }
const keyParams = { type: 'object', additionalProperties: false, required: ['uuid', 'publicKey'], properties: { uuid, publicKey: publicKeyHex } }

type CreateBody = { uuid?: string; label?: string | null; publicKey?: string; publicKeys?: string[]; userId?: string; derivedCount?: number }
type Params = { uuid: string }

export async function pairRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { vault, guard, idempotent } = ctx

  app.post<{ Body: CreateBody }>('/pairs', {
    onRequest: guard('users:write'),
    preHandler: idempotent,
    schema: {
      tags: ['pairs'],
      summary: "Create a remote pair (publicKey, publicKeys) or a user's local pair (userId, derivedCount)",
      security: bearer,
      headers: idempotencyHeaders,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { uuid, label: { type: ['string', 'null'], minLength: 1, maxLength: 128 }, publicKey: publicKeyHex, publicKeys: { ...keyList, minItems: 0 }, userId, derivedCount },
      },
      response: { 201: pair, ...errorReplies },
    },
  }, async (request, reply) => {
    const { userId: user, ...rest } = request.body
    const created = await vault.pairs.create({ ...rest, ...(user === undefined ? {} : { user: { id: user } }) }, callerOf(request))
    return reply.code(201).send(created)
  })

  app.get<{ Querystring: { cursor?: string; limit?: string } }>('/pairs', {
    onRequest: guard('users:read'),
    schema: {
      tags: ['pairs'],
      summary: 'List pairs in uuid order',
      security: bearer,
      querystring: { type: 'object', additionalProperties: false, properties: { cursor: uuid, limit: { type: 'string', pattern: '^[1-9][0-9]{0,2}$' } } },
      response: { 200: pairPage, ...errorReplies },
    },
  }, async (request) => {
    const { cursor, limit } = request.query
    return vault.pairs.list({ ...(cursor === undefined ? {} : { cursor }), ...(limit === undefined ? {} : { limit: Number(limit) }) })
  })

  app.get<{ Params: Params }>('/pairs/:uuid', {
    onRequest: guard('users:read'),
    schema: { tags: ['pairs'], security: bearer, params: uuidParams, response: { 200: pair, ...errorReplies } },
  }, async (request) => {
    const found = await vault.pairs.get(request.params.uuid)
    if (found === null) throw new CoffreError('COFFRE_NOT_FOUND', 'No pair has this uuid')
    return found
  })

  app.delete<{ Params: Params }>('/pairs/:uuid', {
    onRequest: guard('users:write'),
    schema: { tags: ['pairs'], summary: 'Delete a pair and its keys; replies with what was deleted', security: bearer, params: uuidParams, response: { 200: pair, ...errorReplies } },
  }, async (request) => vault.pairs.delete(request.params.uuid, callerOf(request)))

  app.post<{ Params: Params; Body: { publicKeys: string[] } }>('/pairs/:uuid/keys', {
    onRequest: guard('users:write'),
    preHandler: idempotent,
    schema: {
      tags: ['pairs'],
      summary: "Add keys to the pair's publicKeys (a key it already owns is skipped)",
      security: bearer,
      headers: idempotencyHeaders,
      params: uuidParams,
      body: { type: 'object', additionalProperties: false, required: ['publicKeys'], properties: { publicKeys: keyList } },
      response: { 200: pair, ...errorReplies },
    },
  }, async (request) => vault.pairs.addKeys(request.params.uuid, request.body.publicKeys, callerOf(request)))

  app.delete<{ Params: Params & { publicKey: string } }>('/pairs/:uuid/keys/:publicKey', {
    onRequest: guard('users:write'),
    schema: { tags: ['pairs'], summary: "Remove a key from the pair's publicKeys (not its main key)", security: bearer, params: keyParams, response: { 200: pair, ...errorReplies } },
  }, async (request) => vault.pairs.removeKeys(request.params.uuid, [request.params.publicKey], callerOf(request)))

  app.post<{ Params: Params; Body: { publicKey: string; maxDerived?: number } }>('/pairs/:uuid/contains', {
    onRequest: guard('users:read'),
    preHandler: idempotent,
    schema: {
      tags: ['pairs'],
      summary: "Whether the pair owns a key (local pair: main or derived(0 … maxDerived - 1), maxDerived defaulting to its derivedCount)",
      security: bearer,
      headers: idempotencyHeaders,
      params: uuidParams,
      body: { type: 'object', additionalProperties: false, required: ['publicKey'], properties: { publicKey: publicKeyHex, maxDerived: derivedCount } },
      response: { 200: { type: 'object', additionalProperties: false, required: ['contains'], properties: { contains: { type: 'boolean' } } }, ...errorReplies },
    },
  }, async (request) => ({ contains: await vault.pairs.contains(request.params.uuid, request.body.publicKey, request.body.maxDerived, callerOf(request)) }))
}
