/**
 * Periodic jobs on croner. Each tick takes the job's cross-instance lock (jobLock.ts); the instance
 * that gets it runs the job and records the result, the others skip that tick. A job still running
 * when its next tick comes is not started twice (croner `protect`).
 */
import { Cron } from 'croner'
import type { Kysely } from 'kysely'
import type { StoreDialect } from '../../store/dialect.ts'
import type { Database } from '../../store/schema.ts'
import { withJobLock } from '../../store/scheduler/jobLock.ts'
import { recordSchedulerRun, type SchedulerRun } from '../../store/scheduler/schedulerRuns.ts'

export type JobOutcome = { readonly ok: boolean; readonly detail: string }
export type ScheduledJob = { readonly name: string; readonly pattern: string; readonly run: () => Promise<JobOutcome> }

export type JobSchedulerOptions = {
  readonly db: Kysely<Database>
  readonly dialect: StoreDialect
  readonly instance: string
  readonly jobs: readonly ScheduledJob[]
  /** SQLite lease length; a killed holder blocks the job at most this long (default 10 min). */
  readonly leaseMs?: number
  readonly onRun?: (run: SchedulerRun) => void
  readonly onError?: (job: string, error: unknown) => void
}

export type JobScheduler = {
  /** Runs a job now, through the same lock; null when another instance holds it. */
  runNow(name: string): Promise<SchedulerRun | null>
  stop(): Promise<void>
}

export function startJobScheduler(options: JobSchedulerOptions): JobScheduler {
  const running = new Set<Promise<unknown>>()
  const runJob = async (job: ScheduledJob): Promise<SchedulerRun | null> => {
    const outcome = await withJobLock(options.db, options.dialect, job.name, options.instance, options.leaseMs ?? 600_000, async () => {
      const startedAt = new Date().toISOString()
      let result: JobOutcome
      try {
        result = await job.run()
      } catch (error) {
        result = { ok: false, detail: error instanceof Error ? error.message : String(error) }
      }
      const run: SchedulerRun = { job: job.name, instance: options.instance, startedAt, finishedAt: new Date().toISOString(), ...result }
      await recordSchedulerRun(options.db, run)
      options.onRun?.(run)
      return run
    })
    return outcome.ran ? outcome.result : null
  }
  const track = <T>(promise: Promise<T>): Promise<T> => {
    running.add(promise)
    return promise.finally(() => running.delete(promise))
  }
  const crons = options.jobs.map(
    (job) =>
      new Cron(job.pattern, { protect: true, name: `coffre-${job.name}-${options.instance}` }, async () => {
        try {
          await track(runJob(job))
        } catch (error) {
          options.onError?.(job.name, error)
        }
      }),
  )
  return {
    async runNow(name) {
      const job = options.jobs.find((j) => j.name === name)
      if (job === undefined) throw new Error(`no scheduled job ${name}`)
      return track(runJob(job))
    },
    async stop() {
      for (const cron of crons) cron.stop()
      await Promise.allSettled([...running])
    },
  }
}
