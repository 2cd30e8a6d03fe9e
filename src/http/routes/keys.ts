/**
 * Operator routes (admin scope) for the keyring: data keys with their state, encryption count and
 * rotation progress, and starting a data-key rotation that the service runs in the background
 * (online and resumable; progress in this route, /metrics and the dashboard).
 */
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from '../routeContext.ts'
import { callerOf } from '../guard.ts'
import { bearer, errorReplies } from '../schemas.ts'

const dataKey = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'state', 'encryptionCount', 'createdAt'],
  properties: { id: { type: 'string' }, state: { type: 'string' }, encryptionCount: { type: 'integer' }, createdAt: { type: 'string' }, doneRows: { type: 'integer' }, totalRows: { type: 'integer' } },
}
const keyring = {
  type: 'object',
  additionalProperties: false,
  required: ['provider', 'activeDataKeyId', 'nonceBudget', 'backgroundRotation', 'keys'],
  properties: {
    provider: { type: 'object', additionalProperties: false, required: ['kind', 'keyRef'], properties: { kind: { type: 'string' }, keyRef: { type: 'string' } } },
    activeDataKeyId: { type: 'string' },
    nonceBudget: { type: 'integer' },
    backgroundRotation: { type: 'boolean' },
    keys: { type: 'array', items: dataKey },
  },
}

export async function keyRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { vault, guard } = ctx
  const describe = async () => {
    const status = await vault.keys.status()
    return {
      provider: { kind: status.provider.kind, keyRef: status.provider.keyRef },
      activeDataKeyId: status.activeDataKeyId,
      nonceBudget: vault.info().nonceBudget,
      backgroundRotation: status.backgroundRotation,
      keys: status.keys.map((k) => {
        const progress = status.progress.find((p) => p.dataKeyId === k.id)
        return { id: k.id, state: k.state, encryptionCount: k.encryptionCount, createdAt: k.createdAt, ...(progress === undefined ? {} : { doneRows: progress.doneRows, totalRows: progress.totalRows }) }
      }),
    }
  }

  app.get('/keys', { onRequest: guard('admin'), schema: { tags: ['operations'], summary: 'Data keys, their nonce budget use and rotation progress', security: bearer, response: { 200: keyring, ...errorReplies } } }, describe)

  app.post('/keys/rotate-data', {
    onRequest: guard('admin'),
    schema: { tags: ['operations'], summary: 'Start a data-key rotation in the background (or join the running one)', security: bearer, response: { 202: keyring, ...errorReplies } },
  }, async (request, reply) => {
    vault.keys.startDataRotation(callerOf(request))
    return reply.code(202).send(await describe())
  })
}
