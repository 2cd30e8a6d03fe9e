/** What every route plugin receives from buildApp. */
import type { HealthMonitor } from '../vault/health/healthMonitor.ts'
import type { Vault } from '../vault/vault.ts'
import type { Guard } from './guard.ts'
import type { createIdempotency } from './idempotency.ts'
import type { HttpMetrics } from './metrics.ts'

export type RouteContext = {
  readonly vault: Vault
  readonly guard: Guard
  readonly idempotent: ReturnType<typeof createIdempotency>
  readonly metrics: HttpMetrics
  readonly health: HealthMonitor
}
