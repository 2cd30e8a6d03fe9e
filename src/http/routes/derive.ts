/** A user's identity-derived public keys (seed 004): listing and membership, answered from the vault's index. */
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from '../routeContext.ts'
import { callerOf } from '../guard.ts'
import { bearer, errorReplies, idempotencyHeaders, userIdParams } from '../schemas.ts'
import { DERIVED_KEYS_PER_PAGE, MAX_VAULT_DERIVED } from '../../vault/pairs/identityKeys.ts'

export const publicKeyHex = { type: 'string', pattern: '^(0[xX])?0[23][0-9a-fA-F]{64}$' } as const
export const derivedCount = { type: 'integer', minimum: 0, maximum: MAX_VAULT_DERIVED } as const

const publicKeyPage = {
  type: 'object',
  additionalProperties: false,
  required: ['publicKeys', 'nextOffset'],
  properties: { publicKeys: { type: 'array', items: { type: 'string' } }, nextOffset: { type: ['integer', 'null'] } },
}
const belongsReply = {
  type: 'object',
  additionalProperties: false,
  required: ['belongs', 'index'],
  properties: { belongs: { type: 'boolean' }, index: { oneOf: [{ type: 'string', enum: ['main'] }, { type: 'integer' }, { type: 'null' }] } },
}

type Params = { id: string }

export async function deriveRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { vault, guard, idempotent } = ctx

  app.get<{ Params: Params; Querystring: { count?: string; offset?: string } }>('/users/:id/derived-keys', {
    onRequest: guard('users:read'),
    schema: {
      tags: ['derived keys'],
      summary: `A page of [main, derived(0), …, derived(count - 1)] of the user's identity key: at most ${DERIVED_KEYS_PER_PAGE} derived keys from offset (main first at offset 0), and nextOffset (null on the last page)`,
      security: bearer,
      params: userIdParams,
      querystring: { type: 'object', additionalProperties: false, properties: { count: { type: 'string', pattern: '^(0|[1-9][0-9]{0,5})$' }, offset: { type: 'string', pattern: '^(0|[1-9][0-9]{0,5})$' } } },
      response: { 200: publicKeyPage, ...errorReplies },
    },
  }, async (request) => {
    const count = request.query.count === undefined ? 0 : Number(request.query.count)
    const offset = request.query.offset === undefined ? 0 : Number(request.query.offset)
    return vault.derive.publicKeyPage({ id: request.params.id }, { count, offset }, callerOf(request))
  })

  app.post<{ Params: Params; Body: { publicKey: string; maxDerived?: number } }>('/users/:id/derived-keys/belongs', {
    onRequest: guard('users:read'),
    preHandler: idempotent,
    schema: {
      tags: ['derived keys'],
      summary: "Whether a public key is the identity's main key or one of derived(0 … maxDerived - 1)",
      security: bearer,
      headers: idempotencyHeaders,
      params: userIdParams,
      body: { type: 'object', additionalProperties: false, required: ['publicKey'], properties: { publicKey: publicKeyHex, maxDerived: derivedCount } },
      response: { 200: belongsReply, ...errorReplies },
    },
  }, async (request) => {
    const index = await vault.derive.find({ id: request.params.id }, request.body.publicKey, request.body.maxDerived ?? 0, callerOf(request))
    return { belongs: index !== null, index }
  })
}
