/**
 * `buildApp(deps)`: the Fastify app of `coffre serve`, built without listening (tests use
 * `app.inject()`; `serve` calls `listen`). Each capability registers its routes as a plugin from
 * `routes/<area>.ts` with one line below.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify'
import type { Logger } from 'pino'
import pino from 'pino'
import { CoffreError } from '../errors.ts'
import type { Vault } from '../vault/vault.ts'
import type { HealthMonitorOptions } from '../vault/health/healthMonitor.ts'
import { errorBody, statusOf, toCoffreError } from './errorReply.ts'
import { registerApiVersion } from './apiVersion.ts'
import { createGuard } from './guard.ts'
import { createIdempotency, registerIdempotencyRecorder } from './idempotency.ts'
import { FINGERPRINT_PREFIX } from './requestFingerprint.ts'
import { createHttpMetrics, type HttpMetrics } from './metrics.ts'
import { createRateLimits, DEFAULT_RATE_LIMITS, type RateLimits } from './rateLimits.ts'
import { auditRoutes } from './routes/audit.ts'
import { keyRoutes } from './routes/keys.ts'
import { dashboardRoutes } from './routes/dashboard.ts'
import { registerApiDocs } from './routes/docs.ts'
import { exportRoutes } from './routes/export.ts'
import { healthRoutes } from './routes/health.ts'
import { signingRoutes } from './routes/signing.ts'
import { userRoutes } from './routes/users.ts'
import { deriveRoutes } from './routes/derive.ts'
import { pairRoutes } from './routes/pairs.ts'
import { polymarketRoutes } from './routes/polymarket.ts'
import { userBackupRoutes } from './routes/userBackup.ts'
import { guardianRoutes } from './routes/guardians.ts'
import { accountRecoveryRoutes } from './routes/accountRecovery.ts'
import { safeRoutes } from './routes/safe.ts'
import { policyRoutes } from './routes/policies.ts'
import { chainRoutes } from './routes/chain.ts'
import type { RouteContext } from './routeContext.ts'
import { errorSchema, userSchema } from './schemas.ts'

export type { RouteContext } from './routeContext.ts'

export type AppDeps = {
  readonly vault: Vault
  /** pino logger (see logging.ts); silent by default. */
  readonly logger?: Logger
  /** Share with `openVault({ observer: metrics.observer })` so vault counters reach /metrics. */
  readonly metrics?: HttpMetrics
  readonly rateLimits?: RateLimits
  readonly bodyLimit?: number
  readonly trustProxy?: boolean
  /** How long a duplicate Idempotency-Key waits for the first request before 409. */
  readonly idempotencyWaitMs?: number
  /** Timers of the health monitor behind /healthz, /readyz, /metrics and the dashboard. */
  readonly health?: HealthMonitorOptions
  /** Sees every route as it is registered (Fastify's onRoute hook): the route-coverage test uses it. */
  readonly onRoute?: (route: RouteOptions) => void
}

export const DEFAULT_BODY_LIMIT = 128 * 1024

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const metrics = deps.metrics ?? createHttpMetrics({ defaultMetrics: false })
  const records = deps.vault.idempotency
  const app = Fastify({
    loggerInstance: (deps.logger ?? pino({ level: 'silent' })) as FastifyBaseLogger,
    // Our own onResponse line (allow-listed fields) replaces Fastify's request logs.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: deps.trustProxy ?? false,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
  })

  if (deps.onRoute !== undefined) app.addHook('onRoute', deps.onRoute)
  app.setErrorHandler((error, request, reply) => {
    const coffreError = toCoffreError(error)
    const status = statusOf(coffreError.code)
    if (status >= 500) request.log.error({ code: coffreError.code, err: error }, 'request failed')
    const retryAfter = coffreError.details?.retryAfterSeconds
    if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter))
    return reply.code(status).type('application/json; charset=utf-8').send(errorBody(coffreError))
  })
  app.setNotFoundHandler((_request, reply) => {
    const error = new CoffreError('COFFRE_NOT_FOUND', 'no such route')
    return reply.code(statusOf(error.code)).type('application/json; charset=utf-8').send(errorBody(error))
  })
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    metrics.recordRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000)
    request.log.info({ method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, token: request.apiToken?.name }, 'request')
  })
  registerApiVersion(app)
  registerIdempotencyRecorder(app, records)
  await records.redactUnkeyed(FINGERPRINT_PREFIX)

  const health = await deps.vault.health.startMonitor(deps.health)
  app.addHook('onClose', async () => health.stop())

  const purge = setInterval(() => void records.purgeExpired().catch(() => undefined), 60 * 60 * 1000)
  purge.unref()
  app.addHook('onClose', async () => clearInterval(purge))

  app.addSchema(errorSchema)
  app.addSchema(userSchema)
  await registerApiDocs(app)

  const rateLimits = deps.rateLimits ?? createRateLimits(DEFAULT_RATE_LIMITS)
  const routes: RouteContext = {
    vault: deps.vault,
    guard: createGuard(deps.vault.tokens, rateLimits),
    idempotent: createIdempotency(records, deps.idempotencyWaitMs === undefined ? {} : { waitMs: deps.idempotencyWaitMs }),
    metrics,
    health,
  }
  await app.register(healthRoutes, routes)
  await app.register(dashboardRoutes, routes)
  await app.register(userRoutes, { ...routes, prefix: '/v1' })
  await app.register(signingRoutes, { ...routes, prefix: '/v1' })
  await app.register(exportRoutes, { ...routes, prefix: '/v1' })
  await app.register(auditRoutes, { ...routes, prefix: '/v1' })
  await app.register(keyRoutes, { ...routes, prefix: '/v1' })
  await app.register(deriveRoutes, { ...routes, prefix: '/v1' })
  await app.register(pairRoutes, { ...routes, prefix: '/v1' })
  await app.register(polymarketRoutes, { ...routes, prefix: '/v1' })
  await app.register(userBackupRoutes, { ...routes, prefix: '/v1' })
  await app.register(guardianRoutes, { ...routes, prefix: '/v1' })
  await app.register(accountRecoveryRoutes, { ...routes, prefix: '/v1' })
  await app.register(safeRoutes, { ...routes, prefix: '/v1' })
  await app.register(policyRoutes, { ...routes, prefix: '/v1' })
  await app.register(chainRoutes, { ...routes, prefix: '/v1' })
  return app
}
