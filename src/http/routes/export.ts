/**
 * The audited export over HTTP: the vault seals the wallet to the caller's X25519 public key with
 * HPKE (vault.users.exportSealed, docs/export.md); only ciphertext reaches this layer.
 */
import type { FastifyInstance } from 'fastify'
import { EXPORT_ENVELOPE_FORMAT, EXPORT_SUITE } from '../../crypto/exportEnvelope.ts'
import type { RouteContext } from '../routeContext.ts'
import { callerOf } from '../guard.ts'
import { bearer, errorReplies, idempotencyHeaders, userIdParams } from '../schemas.ts'

const envelope = {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'format', 'suite', 'enc', 'ciphertext'],
  properties: {
    userId: { type: 'string' },
    format: { type: 'string', enum: [EXPORT_ENVELOPE_FORMAT] },
    suite: { type: 'string', enum: [EXPORT_SUITE] },
    enc: { type: 'string' },
    ciphertext: { type: 'string' },
  },
}

export async function exportRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { vault, guard, idempotent } = ctx
  app.post<{ Params: { id: string }; Body: { recipientPublicKey: string; reason?: string } }>('/users/:id/export', {
    onRequest: guard('export'),
    preHandler: idempotent,
    schema: {
      tags: ['users'],
      summary: 'Export the mnemonic and keys, HPKE-sealed to recipientPublicKey (raw X25519, base64); see docs/export.md',
      security: bearer,
      headers: idempotencyHeaders,
      params: userIdParams,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['recipientPublicKey'],
        properties: { recipientPublicKey: { type: 'string', minLength: 43, maxLength: 44 }, reason: { type: 'string', minLength: 1, maxLength: 200 } },
      },
      response: { 200: envelope, ...errorReplies },
    },
  }, async (request) => vault.users.exportSealed({ id: request.params.id }, request.body.recipientPublicKey, { ...callerOf(request), reason: request.body.reason ?? 'http export' }))
}
