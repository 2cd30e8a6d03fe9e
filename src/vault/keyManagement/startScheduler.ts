/**
 * `startScheduler(vault, options)` for `coffre serve`: the periodic jobs — a health check (doctor
 * without decrypting every secret), the rotation due-check (rotate when the nonce budget fraction or
 * the cryptoperiod is reached, and finish any rotation left half-way) and audit chain verification.
 * One instance runs each tick (advisory lock / lease row); results go to `scheduler_runs`.
 */
import { hostname } from 'node:os'
import { startJobScheduler, type JobScheduler, type ScheduledJob } from '../../ops/scheduler/jobScheduler.ts'
import type { SchedulerRun } from '../../store/scheduler/schedulerRuns.ts'
import type { Vault } from '../openVault.ts'
import type { DuePolicy } from './keyService.ts'
import { contextOf } from '../internals.ts'

export type SchedulerOptions = DuePolicy & {
  /** Cron patterns (croner syntax, seconds optional); a job set to null is not scheduled. */
  readonly health?: string | null
  readonly rotationDue?: string | null
  readonly auditVerify?: string | null
  readonly instance?: string
  readonly leaseMs?: number
  readonly onRun?: (run: SchedulerRun) => void
}

export const DEFAULT_SCHEDULE = { health: '*/5 * * * *', rotationDue: '17 * * * *', auditVerify: '43 3 * * *' } as const
const ACTOR = 'system:scheduler'

export function schedulerJobs(vault: Vault, options: SchedulerOptions = {}): ScheduledJob[] {
  const jobs: ScheduledJob[] = []
  const add = (name: string, pattern: string | null | undefined, fallback: string, run: ScheduledJob['run']) => {
    if (pattern !== null) jobs.push({ name, pattern: pattern ?? fallback, run })
  }
  add('health', options.health, DEFAULT_SCHEDULE.health, async () => {
    const report = await vault.doctor({ actor: ACTOR, secrets: false, scheduler: false })
    const failing = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)
    return { ok: report.ok, detail: report.ok ? `${report.checks.length} checks ok` : failing.join('; ') }
  })
  add('rotation-due', options.rotationDue, DEFAULT_SCHEDULE.rotationDue, async () => {
    const policy = { ...(options.cryptoperiodDays === undefined ? {} : { cryptoperiodDays: options.cryptoperiodDays }), ...(options.budgetFraction === undefined ? {} : { budgetFraction: options.budgetFraction }) }
    const { due, rotation } = await vault.keys.runDueCheck({ ...policy, actor: ACTOR })
    if (rotation === null) return { ok: true, detail: 'no rotation due' }
    const left = Object.values(rotation.remaining).reduce((a, b) => a + b, 0)
    return { ok: rotation.failures.length === 0, detail: `${due.due ? `rotated (${due.reasons.join('; ')})` : 'finished a pending rotation'}: ${rotation.rewritten} secrets re-encrypted, retired ${rotation.retired.join(', ') || 'none'}${left > 0 ? `, ${left} left` : ''}` }
  })
  add('audit-verify', options.auditVerify, DEFAULT_SCHEDULE.auditVerify, async () => {
    const result = await vault.audit.verify()
    return { ok: result.ok, detail: result.ok ? `${result.entries} entries verified` : `broken at entry ${result.firstBrokenEntry}: ${result.reason}` }
  })
  return jobs
}

export function startScheduler(vault: Vault, options: SchedulerOptions = {}): JobScheduler {
  const { store, logger } = contextOf(vault)
  return startJobScheduler({
    db: store.db,
    dialect: store.dialect,
    instance: options.instance ?? `${hostname()}:${process.pid}`,
    jobs: schedulerJobs(vault, options),
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    onRun: (run) => {
      logger.info({ job: run.job, ok: run.ok, instance: run.instance }, 'scheduled job')
      options.onRun?.(run)
    },
    onError: (job, error) => logger.error({ job, err: error instanceof Error ? error.message : String(error) }, 'scheduled job could not run'),
  })
}
