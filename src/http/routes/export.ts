/**
 * The audited export over HTTP: the wallet is sealed to the caller's X25519 public key with HPKE
 * (src/crypto/exportEnvelope.ts, docs/export.md); the plaintext never appears in a reply.
 */
import type { FastifyInstance } from 'fastify'
import { assertUsableRecipient, EXPORT_ENVELOPE_FORMAT, EXPORT_SUITE, parseRecipientPublicKey, sealExportEnvelope } from '../../crypto/exportEnvelope.ts'
import type { RouteContext } from '../buildApp.ts'
import { actorOf } from '../guard.ts'
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
  }, async (request) => {
    const recipient = parseRecipientPublicKey(request.body.recipientPublicKey)
    await assertUsableRecipient(recipient)
    const exported = await vault.users.export({ id: request.params.id }, { actor: actorOf(request), reason: request.body.reason ?? 'http export' })
    const plaintext = new Uint8Array(Buffer.from(JSON.stringify(exported), 'utf8'))
    try {
      return { userId: exported.userId, ...(await sealExportEnvelope(recipient, plaintext, exported.userId)) }
    } finally {
      plaintext.fill(0)
    }
  })
}
