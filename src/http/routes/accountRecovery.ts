/**
 * Account recovery over HTTP (vault.recovery, docs/recovery.md): request, guardians' approvals
 * (EIP-191 signatures over the request text), owner cancel, status, and completion after the
 * waiting period.
 */
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from '../routeContext.ts'
import { callerOf } from '../guard.ts'
import { bearer, errorReplies, idempotencyHeaders, userIdParams } from '../schemas.ts'

const uuid = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
const requestParams = { type: 'object', additionalProperties: false, required: ['id', 'requestId'], properties: { id: { type: 'string', pattern: uuid }, requestId: { type: 'string', pattern: uuid } } } as const

const view = {
  type: 'object',
  additionalProperties: false,
  required: ['requestId', 'userId', 'guardianSetId', 'newTelegramUserId', 'text', 'expiresAt', 'state', 'approvedBy', 'threshold', 'executableAt', 'createdAt'],
  properties: {
    requestId: { type: 'string' },
    userId: { type: 'string' },
    guardianSetId: { type: 'string' },
    newTelegramUserId: { type: 'integer' },
    text: { type: 'string' },
    expiresAt: { type: 'string' },
    state: { type: 'string', enum: ['pending', 'approved', 'cancelled', 'completed', 'expired'] },
    approvedBy: { type: 'array', items: { type: 'string' } },
    threshold: { type: 'integer' },
    executableAt: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
  },
} as const

type Params = { id: string; requestId: string }

export async function accountRecoveryRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { vault, guard, idempotent } = ctx
  app.post<{ Params: { id: string }; Body: { newTelegramUserId: number; ttlSeconds?: number } }>('/users/:id/recovery', {
    onRequest: guard('users:write'),
    preHandler: idempotent,
    schema: {
      tags: ['recovery'],
      summary: 'Ask to move the user\'s wallets to a new telegram id; replies with the canonical text the guardians sign (EIP-191)',
      security: bearer,
      headers: idempotencyHeaders,
      params: userIdParams,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['newTelegramUserId'],
        properties: { newTelegramUserId: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER }, ttlSeconds: { type: 'integer', minimum: 60, maximum: 30 * 24 * 3600 } },
      },
      response: { 201: view, ...errorReplies },
    },
  }, async (request, reply) => reply.code(201).send(await vault.recovery.request({ id: request.params.id }, request.body, callerOf(request))))

  app.get<{ Params: Params }>('/users/:id/recovery/:requestId', {
    onRequest: guard('users:read'),
    schema: { tags: ['recovery'], summary: 'A recovery request\'s state, approvals and waiting period', security: bearer, params: requestParams, response: { 200: view, ...errorReplies } },
  }, async (request) => vault.recovery.status({ id: request.params.id }, request.params.requestId))

  app.post<{ Params: Params; Body: { signatures: string[] } }>('/users/:id/recovery/:requestId/approve', {
    onRequest: guard('users:write'),
    preHandler: idempotent,
    schema: {
      tags: ['recovery'],
      summary: 'Add guardians\' EIP-191 signatures over the request text; at the threshold the waiting period starts',
      security: bearer,
      headers: idempotencyHeaders,
      params: requestParams,
      body: { type: 'object', additionalProperties: false, required: ['signatures'], properties: { signatures: { type: 'array', minItems: 1, maxItems: 16, items: { type: 'string', pattern: '^0x[0-9a-fA-F]{130}$' } } } },
      response: { 200: view, ...errorReplies },
    },
  }, async (request) => vault.recovery.approve({ id: request.params.id }, request.params.requestId, request.body, callerOf(request)))

  for (const [action, summary] of [
    ['cancel', 'Cancel the request (the current owner, during the waiting period or before)'],
    ['complete', 'After the waiting period, move the user\'s telegram binding to the new id'],
  ] as const) {
    app.post<{ Params: Params }>(`/users/:id/recovery/:requestId/${action}`, {
      onRequest: guard('users:write'),
      preHandler: idempotent,
      schema: { tags: ['recovery'], summary, security: bearer, headers: idempotencyHeaders, params: requestParams, response: { 200: view, ...errorReplies } },
    }, async (request) => vault.recovery[action]({ id: request.params.id }, request.params.requestId, callerOf(request)))
  }
}
