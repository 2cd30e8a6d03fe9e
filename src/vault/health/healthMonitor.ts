/**
 * The per-instance health monitor behind `/healthz`, `/readyz`, `/metrics` and the dashboard. It
 * runs the checks on timers and the pages read its latest results, so a probe or a page view costs
 * no store query and no provider call:
 * - the store probe (storeProbe.ts) every `probeIntervalMs`, bounded by `probeTimeoutMs`;
 * - the root-key check (rootKeyCheck.ts) every `rootKeyIntervalMs` (a minute: one KMS Decrypt or
 *   HSM unwrap a minute, whatever the probe rate);
 * - the status snapshot with incremental audit verification every `snapshotIntervalMs`.
 *
 * Ready: the latest store probe answered on time and succeeded, and the root key unwrapped.
 * Alive: unless the store has gone unanswered (probes timing out, not failing) for longer than
 * `stuckAfterMs` — a hung connection or a stuck lock, which a restart can clear. A store that
 * answers with an error (PostgreSQL down: connection refused) makes the instance unready but not
 * dead: a restart would not help, and every instance restarting together would not either.
 * Each instance runs its own monitor (`--no-scheduler` does not stop it); the checkpoint of the
 * audit chain lives in this process's memory, where a database writer cannot forge it.
 */
import type { AuditCheckpoint } from '../../store/audit/verify.ts'
import type { VaultContext } from '../context.ts'
import { startPeriodicCheck } from './periodicCheck.ts'
import { checkRootKey } from './rootKeyCheck.ts'
import { takeStatusSnapshot, type StatusSnapshot } from './statusSnapshot.ts'
import { probeStore } from './storeProbe.ts'

export type HealthMonitorOptions = {
  readonly probeIntervalMs?: number
  readonly probeTimeoutMs?: number
  readonly rootKeyIntervalMs?: number
  readonly snapshotIntervalMs?: number
  /** Liveness fails after the store has gone unanswered this long; 0 never fails it. */
  readonly stuckAfterMs?: number
}

export const DEFAULT_HEALTH_OPTIONS = {
  probeIntervalMs: 2_000,
  probeTimeoutMs: 2_000,
  rootKeyIntervalMs: 60_000,
  snapshotIntervalMs: 10_000,
  stuckAfterMs: 60_000,
} as const satisfies Required<HealthMonitorOptions>

export type Readiness = { readonly ready: boolean; readonly database: boolean; readonly rootKey: boolean }
export type Liveness = { readonly alive: boolean; readonly storeUnansweredMs: number }

export type HealthMonitor = {
  readiness(): Readiness
  liveness(): Liveness
  /** The latest status snapshot, or null until the first one is taken. */
  snapshot(): StatusSnapshot | null
  stop(): void
}

export async function startHealthMonitor(ctx: Pick<VaultContext, 'store' | 'keyring'>, options: HealthMonitorOptions = {}): Promise<HealthMonitor> {
  const o = { ...DEFAULT_HEALTH_OPTIONS, ...options }
  let checkpoint: AuditCheckpoint | null = null
  let snapshot: StatusSnapshot | null = null

  const store = startPeriodicCheck(() => probeStore(ctx.store), { intervalMs: o.probeIntervalMs, timeoutMs: o.probeTimeoutMs })
  const rootKey = startPeriodicCheck(() => checkRootKey(ctx), { intervalMs: o.rootKeyIntervalMs, timeoutMs: o.probeTimeoutMs })
  const status = startPeriodicCheck(async () => {
    const taken = await takeStatusSnapshot(ctx, checkpoint)
    checkpoint = taken.checkpoint
    snapshot = taken.snapshot
  }, { intervalMs: o.snapshotIntervalMs, timeoutMs: o.snapshotIntervalMs })
  // The first round, each bounded by its timeout, so the pages have answers from the start.
  await Promise.all([store.runNow(), rootKey.runNow()])
  await status.runNow()

  return {
    readiness() {
      const database = store.timely() && store.latest()?.ok === true
      const latestKey = rootKey.latest()
      const key = latestKey?.ok === true && latestKey.value
      return { ready: database && key, database, rootKey: key }
    },
    liveness() {
      const unanswered = store.unansweredForMs()
      return { alive: o.stuckAfterMs === 0 || unanswered <= o.stuckAfterMs, storeUnansweredMs: unanswered }
    },
    snapshot: () => snapshot,
    stop() {
      store.stop()
      rootKey.stop()
      status.stop()
    },
  }
}
