/** Liveness, readiness and Prometheus metrics (unauthenticated, as scrapers and orchestrators expect; no secrets). */
import type { FastifyInstance } from 'fastify'
import { listDataKeys } from '../../store/dataKeys.ts'
import type { RouteContext } from '../buildApp.ts'
import { checkReadiness } from '../readiness.ts'

export async function healthRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.get('/healthz', {
    schema: { tags: ['health'], response: { 200: { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } } },
  }, async () => ({ status: 'ok' as const }))

  const readiness = { type: 'object', additionalProperties: false, required: ['status', 'database', 'rootKey'], properties: { status: { type: 'string', enum: ['ready', 'unavailable'] }, database: { type: 'boolean' }, rootKey: { type: 'boolean' } } }
  app.get('/readyz', { schema: { tags: ['health'], response: { 200: readiness, 503: readiness } } }, async (_request, reply) => {
    const state = await checkReadiness(ctx.vault)
    return reply.code(state.ready ? 200 : 503).send({ status: state.ready ? 'ready' : 'unavailable', database: state.database, rootKey: state.rootKey })
  })

  app.get('/metrics', { schema: { tags: ['health'], produces: ['text/plain'] } }, async (_request, reply) => {
    const keys = await listDataKeys(ctx.vault.context.store.db).catch(() => [])
    ctx.metrics.setDataKeys(keys.map((k) => ({ id: k.id, state: k.state, encryptions: Number(k.encryption_count) })), ctx.vault.context.keyring.nonceBudget)
    ctx.metrics.setRotationProgress(await ctx.vault.keys.progress().catch(() => []))
    const body = await ctx.metrics.registry.metrics()
    return reply.type(ctx.metrics.registry.contentType).send(body)
  })
}
