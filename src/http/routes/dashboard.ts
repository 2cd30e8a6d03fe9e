/**
 * The dashboard at `/`. It is read-only and shows no secrets and no identifiers (no key material,
 * no audit details, no token names or user ids — actors and subjects by kind only — and data keys
 * by state, not id), so like /metrics it needs no token; put the service behind your network
 * boundary as you would any metrics endpoint. It renders the health monitor's latest results.
 */
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from '../routeContext.ts'
import { dashboardData } from '../dashboardData.ts'
import { renderDashboard } from '../dashboardPage.ts'

export async function dashboardRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .header('cache-control', 'no-store')
      .send(renderDashboard(dashboardData(ctx.health, ctx.metrics))),
  )
}
