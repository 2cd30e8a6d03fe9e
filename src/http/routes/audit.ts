/** Operator routes (admin scope): audit chain verification and the doctor report. */
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from '../routeContext.ts'
import { callerOf } from '../guard.ts'
import { bearer, errorReplies } from '../schemas.ts'

const verification = {
  type: 'object',
  additionalProperties: false,
  required: ['ok', 'entries'],
  properties: { ok: { type: 'boolean' }, entries: { type: 'integer' }, firstBrokenEntry: { type: 'integer' }, reason: { type: 'string' } },
}
const report = {
  type: 'object',
  additionalProperties: false,
  required: ['ok', 'checks'],
  properties: {
    ok: { type: 'boolean' },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'ok', 'detail'],
        properties: { name: { type: 'string' }, ok: { type: 'boolean' }, detail: { type: 'string' }, failures: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
}

export async function auditRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { vault, guard } = ctx
  app.get('/audit/verify', { onRequest: guard('admin'), schema: { tags: ['operations'], security: bearer, response: { 200: verification, ...errorReplies } } }, async () => vault.audit.verify())

  app.get<{ Querystring: { secrets?: 'true' | 'false' } }>('/doctor', {
    onRequest: guard('admin'),
    schema: {
      tags: ['operations'],
      summary: 'Database, migrations, root key, every secret re-derives its address (unless secrets=false), audit chain',
      security: bearer,
      querystring: { type: 'object', additionalProperties: false, properties: { secrets: { type: 'string', enum: ['true', 'false'] } } },
      response: { 200: report, ...errorReplies },
    },
  }, async (request) => vault.doctor({ ...callerOf(request), secrets: request.query.secrets !== 'false' }))
}
