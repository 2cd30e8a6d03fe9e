/** Scheduler results, stored so `coffre doctor`, `/metrics` and the dashboard see them from any instance. */
import type { Kysely } from 'kysely'
import { newUuidV7 } from '../../ids.ts'
import type { Database } from '../schema.ts'

export type SchedulerRun = { readonly job: string; readonly instance: string; readonly startedAt: string; readonly finishedAt: string; readonly ok: boolean; readonly detail: string }

export async function recordSchedulerRun(db: Kysely<Database>, run: SchedulerRun): Promise<void> {
  await db
    .insertInto('scheduler_runs')
    .values({ id: newUuidV7(), job: run.job, instance: run.instance, started_at: run.startedAt, finished_at: run.finishedAt, ok: run.ok ? 1 : 0, detail: run.detail.slice(0, 2000) })
    .execute()
}

/** The latest run of each job. */
export async function latestSchedulerRuns(db: Kysely<Database>): Promise<SchedulerRun[]> {
  const jobs = await db.selectFrom('scheduler_runs').select('job').distinct().orderBy('job').execute()
  const runs: SchedulerRun[] = []
  for (const { job } of jobs) {
    const row = await db.selectFrom('scheduler_runs').selectAll().where('job', '=', job).orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()
    if (row !== undefined) runs.push({ job, instance: row.instance, startedAt: row.started_at, finishedAt: row.finished_at, ok: row.ok === 1, detail: row.detail })
  }
  return runs
}
