/**
 * Liveness, readiness and Prometheus metrics (unauthenticated, as scrapers and orchestrators
 * expect; no secrets, no identifiers). Each answers from the health monitor's latest results
 * (src/vault/health/healthMonitor.ts): no store query and no key-provider call per request, and an
 * answer even while the store hangs.
 */
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from '../routeContext.ts'

export async function healthRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const liveness = { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'string', enum: ['ok', 'stuck'] } } }
  app.get('/healthz', {
    schema: { tags: ['health'], summary: 'Liveness: 503 once the store has gone unanswered longer than --store-stuck-after (restart the instance)', response: { 200: liveness, 503: liveness } },
  }, async (_request, reply) => {
    const state = ctx.health.liveness()
    return reply.code(state.alive ? 200 : 503).send({ status: state.alive ? 'ok' : 'stuck' })
  })

  const readiness = { type: 'object', additionalProperties: false, required: ['status', 'database', 'rootKey'], properties: { status: { type: 'string', enum: ['ready', 'unavailable'] }, database: { type: 'boolean' }, rootKey: { type: 'boolean' } } }
  app.get('/readyz', {
    schema: { tags: ['health'], summary: 'Readiness: the store answered its latest probe in time and the root key unwraps the active data key (checked once a minute)', response: { 200: readiness, 503: readiness } },
  }, async (_request, reply) => {
    const state = ctx.health.readiness()
    return reply.code(state.ready ? 200 : 503).send({ status: state.ready ? 'ready' : 'unavailable', database: state.database, rootKey: state.rootKey })
  })

  app.get('/metrics', { schema: { tags: ['health'], produces: ['text/plain'] } }, async (_request, reply) => {
    const snapshot = ctx.health.snapshot()
    if (snapshot !== null) {
      ctx.metrics.setDataKeys(snapshot.dataKeys, snapshot.nonceBudget)
      ctx.metrics.setRotationProgress(snapshot.progress)
    }
    ctx.metrics.setHealth(ctx.health.readiness().ready, snapshot === null ? null : snapshot.audit.ok)
    const body = await ctx.metrics.registry.metrics()
    return reply.type(ctx.metrics.registry.contentType).send(body)
  })
}
