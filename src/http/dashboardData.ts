/**
 * What the dashboard shows, taken from the health monitor's latest results (no store query, no
 * provider call per view): readiness, user count, data keys against the nonce budget (by state and
 * age — never their ids), the audit chain's status (verified incrementally on the monitor's timer),
 * recent audit events (sequence, time, action, the KIND of actor and subject — never token names,
 * user ids or details) and this instance's request rate.
 */
import type { HealthMonitor, Readiness } from '../vault/health/healthMonitor.ts'
import type { StatusSnapshot } from '../vault/health/statusSnapshot.ts'
import type { HttpMetrics } from './metrics.ts'

export type DashboardData = {
  readonly readiness: Readiness
  readonly requestRate: number
  /** Null until the monitor's first snapshot is taken. */
  readonly status: {
    readonly at: string
    readonly users: number
    readonly nonceBudget: number
    readonly dataKeys: readonly { state: string; encryptions: number; createdAt: string; rotation: { doneRows: number; totalRows: number } | null }[]
    readonly audit: StatusSnapshot['audit']
    readonly recentEvents: readonly { seq: number; at: string; action: string; actor: string; subject: string }[]
  } | null
}

/** `http:bot` → `http`, `system:scheduler` → `system`: who acted, by kind only. */
export const actorKind = (actor: string): string => (actor.includes(':') ? actor.slice(0, actor.indexOf(':')) : actor)
/** `token:tok_…` → `token:…`: what was touched, by kind only. */
export const subjectKind = (subject: string | null): string => (subject === null ? '' : subject.includes(':') ? `${subject.slice(0, subject.indexOf(':'))}:…` : subject)

export function dashboardData(health: HealthMonitor, metrics: HttpMetrics): DashboardData {
  const snapshot = health.snapshot()
  return {
    readiness: health.readiness(),
    requestRate: metrics.requestRate(),
    status:
      snapshot === null
        ? null
        : {
            at: snapshot.at,
            users: snapshot.users,
            nonceBudget: snapshot.nonceBudget,
            dataKeys: snapshot.dataKeys.map((k) => {
              const p = snapshot.progress.find((r) => r.dataKeyId === k.id)
              return { state: k.state, encryptions: k.encryptions, createdAt: k.createdAt, rotation: p === undefined ? null : { doneRows: p.doneRows, totalRows: p.totalRows } }
            }),
            audit: snapshot.audit,
            recentEvents: snapshot.recentEvents.map((e) => ({ seq: e.seq, at: e.at, action: e.action, actor: actorKind(e.actor), subject: subjectKind(e.subject) })),
          },
  }
}
