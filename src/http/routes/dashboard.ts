/**
 * The dashboard at `/`. It is read-only and shows no secrets (no key material, no audit details,
 * no user or token identifiers: audit subjects show only their kind), so like /metrics it needs no token; put the service behind
 * your network boundary as you would any metrics endpoint.
 */
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from '../buildApp.ts'
import { createDashboardSource } from '../dashboardData.ts'
import { renderDashboard } from '../dashboardPage.ts'

export async function dashboardRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const collect = createDashboardSource(ctx.vault, ctx.metrics)
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .header('cache-control', 'no-store')
      .send(renderDashboard(await collect())),
  )
}
