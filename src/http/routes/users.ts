/** Users: create (idempotent per telegram id), get, find by telegram id, list with a cursor, import. */
import type { FastifyInstance } from 'fastify'
import { CoffreError } from '../../errors.ts'
import type { ImportUserInput } from '../../vault/users/importUser.ts'
import type { RouteContext } from '../routeContext.ts'
import { callerOf } from '../guard.ts'
import { bearer, errorReplies, idempotencyHeaders, telegramUserId, userIdParams, username } from '../schemas.ts'

const user = { $ref: 'User#' }
const userPage = {
  type: 'object',
  additionalProperties: false,
  required: ['users', 'nextCursor'],
  properties: { users: { type: 'array', items: user }, nextCursor: { type: ['string', 'null'] } },
}

const importBody = {
  type: 'object',
  additionalProperties: false,
  required: ['telegramUserId'],
  properties: {
    telegramUserId,
    username,
    mnemonic: { type: 'string', minLength: 1, maxLength: 512 },
    polygonPrivateKey: { type: 'string', minLength: 1, maxLength: 80 },
    solanaSecretKey: { oneOf: [{ type: 'string', minLength: 1, maxLength: 400 }, { type: 'array', minItems: 64, maxItems: 64, items: { type: 'integer', minimum: 0, maximum: 255 } }] },
    polygonAddress: { type: 'string', minLength: 1, maxLength: 64 },
    solanaAddress: { type: 'string', minLength: 1, maxLength: 64 },
  },
}

type CreateBody = { telegramUserId: number; username?: string | null }
type ListQuery = { telegramUserId?: string; cursor?: string; limit?: string }

export async function userRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { vault, guard, idempotent } = ctx

  app.post<{ Body: CreateBody }>('/users', {
    onRequest: guard('users:write'),
    preHandler: idempotent,
    schema: {
      tags: ['users'],
      summary: 'Create a user with a new wallet (200 with the same user if the telegram id exists)',
      security: bearer,
      headers: idempotencyHeaders,
      body: { type: 'object', additionalProperties: false, required: ['telegramUserId'], properties: { telegramUserId, username } },
      response: { 200: user, 201: user, ...errorReplies },
    },
  }, async (request, reply) => {
    const { user: created, created: isNew } = await vault.users.ensure({ telegramUserId: request.body.telegramUserId, username: request.body.username ?? null }, callerOf(request))
    return reply.code(isNew ? 201 : 200).send(created)
  })

  app.post<{ Body: ImportUserInput }>('/users/import', {
    onRequest: guard('users:write'),
    preHandler: idempotent,
    schema: {
      tags: ['users'],
      summary: 'Import an existing wallet: a mnemonic, or a Polygon key and a Solana key',
      security: bearer,
      headers: idempotencyHeaders,
      body: importBody,
      response: { 200: user, 201: user, ...errorReplies },
    },
  }, async (request, reply) => {
    const { user: imported, created } = await vault.users.import(request.body, callerOf(request))
    return reply.code(created ? 201 : 200).send(imported)
  })

  app.get<{ Params: { id: string } }>('/users/:id', {
    onRequest: guard('users:read'),
    schema: { tags: ['users'], security: bearer, params: userIdParams, response: { 200: user, ...errorReplies } },
  }, async (request) => {
    const found = await vault.users.get({ id: request.params.id })
    if (found === null) throw new CoffreError('COFFRE_NOT_FOUND', 'no such user')
    const { stage } = await vault.chain.onboarding({ id: found.id })
    return { ...found, onboardingStage: stage }
  })

  app.get<{ Querystring: ListQuery }>('/users', {
    onRequest: guard('users:read'),
    schema: {
      tags: ['users'],
      summary: 'Find a user by telegram id, or list users in creation order',
      security: bearer,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          telegramUserId: { type: 'string', pattern: '^[1-9][0-9]{0,15}$' },
          cursor: { type: 'string', minLength: 1, maxLength: 80 },
          limit: { type: 'string', pattern: '^[1-9][0-9]{0,2}$' },
        },
      },
      response: { 200: userPage, ...errorReplies },
    },
  }, async (request) => {
    const { telegramUserId: telegramId, cursor, limit } = request.query
    if (telegramId !== undefined) {
      const found = await vault.users.get({ telegramUserId: telegramId })
      return { users: found === null ? [] : [found], nextCursor: null }
    }
    return vault.users.list({ ...(cursor === undefined ? {} : { cursor }), ...(limit === undefined ? {} : { limit: Number(limit) }) })
  })
}
