/**
 * A user's guardians over HTTP (vault.guardians, docs/recovery.md). Registering guardians hands
 * shares of the wallet to keys the caller names (sealed to them), so it needs the `export` scope,
 * like an export; reading and removing need `users:read` / `users:write`.
 */
import type { FastifyInstance } from 'fastify'
import type { AddGuardiansInput } from '../../vault/guardians/guardianService.ts'
import { CoffreError } from '../../errors.ts'
import type { RouteContext } from '../routeContext.ts'
import { callerOf } from '../guard.ts'
import { bearer, errorReplies, idempotencyHeaders, userIdParams } from '../schemas.ts'

const publicKey = { type: 'string', pattern: '^(02|03)[0-9a-fA-F]{64}$' } as const

const sealedShare = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'backupId', 'index', 'guardianPublicKey', 'ciphertext'],
  properties: { format: { type: 'string', enum: ['coffre-share-ecies-secp256k1-v1'] }, backupId: { type: 'string' }, index: { type: 'integer' }, guardianPublicKey: { type: 'string' }, ciphertext: { type: 'string' } },
} as const

const guardians = {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'setId', 'pairUuid', 'version', 'threshold', 'guardians', 'backupId', 'sealedShares', 'createdAt'],
  properties: {
    userId: { type: 'string' },
    setId: { type: 'string' },
    pairUuid: { type: 'string' },
    version: { type: 'integer' },
    threshold: { type: 'integer' },
    guardians: { type: 'array', items: { type: 'string' } },
    backupId: { type: 'string' },
    sealedShares: { type: 'array', items: sealedShare },
    createdAt: { type: 'string' },
  },
} as const

export async function guardianRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { vault, guard, idempotent } = ctx
  app.post<{ Params: { id: string }; Body: AddGuardiansInput }>('/users/:id/guardians', {
    onRequest: guard('export'),
    preHandler: idempotent,
    schema: {
      tags: ['recovery'],
      summary: 'Register (or rotate) the user\'s guardians: secp256k1 keys as a seed-004 pair, threshold t < n; each gets a share of the wallet sealed to its key (ECIES)',
      security: bearer,
      headers: idempotencyHeaders,
      params: userIdParams,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          publicKeys: { type: 'array', minItems: 2, maxItems: 16, items: publicKey },
          pairUuid: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
          threshold: { type: 'integer', minimum: 1, maximum: 15 },
        },
      },
      response: { 201: guardians, ...errorReplies },
    },
  }, async (request, reply) => reply.code(201).send(await vault.guardians.add({ id: request.params.id }, request.body, callerOf(request))))

  app.get<{ Params: { id: string } }>('/users/:id/guardians', {
    onRequest: guard('users:read'),
    schema: { tags: ['recovery'], summary: 'The user\'s active guardians and their sealed shares (404 when none)', security: bearer, params: userIdParams, response: { 200: guardians, ...errorReplies } },
  }, async (request) => {
    const found = await vault.guardians.get({ id: request.params.id })
    if (found === null) throw new CoffreError('COFFRE_NOT_FOUND', 'the user has no guardians')
    return found
  })

  app.delete<{ Params: { id: string } }>('/users/:id/guardians', {
    onRequest: guard('users:write'),
    schema: {
      tags: ['recovery'],
      summary: 'Remove the user\'s guardians (their open recovery requests are cancelled)',
      security: bearer,
      params: userIdParams,
      response: {
        200: { type: 'object', additionalProperties: false, required: ['userId', 'setId', 'cancelledRequests'], properties: { userId: { type: 'string' }, setId: { type: 'string' }, cancelledRequests: { type: 'integer' } } },
        ...errorReplies,
      },
    },
  }, async (request) => vault.guardians.remove({ id: request.params.id }, callerOf(request)))
}
