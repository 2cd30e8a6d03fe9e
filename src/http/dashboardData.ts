/**
 * What the dashboard shows, gathered read-only: readiness, user count, data keys against the
 * nonce budget, the audit chain's status (verified at most every 15 s), recent audit events
 * (sequence, time, action, actor, subject — never details or secrets) and the request rate.
 */
import { listDataKeys } from '../store/dataKeys.ts'
import type { AuditVerification } from '../store/audit/verify.ts'
import type { Vault } from '../vault/openVault.ts'
import type { HttpMetrics } from './metrics.ts'
import { checkReadiness, type Readiness } from './readiness.ts'

export type DashboardData = {
  readonly readiness: Readiness
  readonly users: number
  readonly nonceBudget: number
  readonly dataKeys: readonly { id: string; state: string; encryptions: number; createdAt: string; rotation: { doneRows: number; totalRows: number } | null }[]
  readonly audit: AuditVerification & { readonly checkedAt: string }
  readonly recentEvents: readonly { seq: number; at: string; action: string; actor: string; subject: string | null }[]
  readonly requestRate: number
}

const AUDIT_CACHE_MS = 15_000

export function createDashboardSource(vault: Vault, metrics: HttpMetrics) {
  let audit: { result: DashboardData['audit']; at: number } | undefined
  return async function collect(): Promise<DashboardData> {
    const db = vault.context.store.db
    if (audit === undefined || Date.now() - audit.at > AUDIT_CACHE_MS) {
      const result = await vault.audit.verify()
      audit = { result: { ...result, checkedAt: new Date().toISOString() }, at: Date.now() }
    }
    const [readiness, users, keys, progress, events] = await Promise.all([
      checkReadiness(vault),
      vault.users.count(),
      listDataKeys(db),
      vault.keys.progress().catch(() => []),
      db.selectFrom('audit_log').select(['seq', 'at', 'action', 'actor', 'subject']).orderBy('seq', 'desc').limit(20).execute(),
    ])
    return {
      readiness,
      users,
      nonceBudget: vault.context.keyring.nonceBudget,
      dataKeys: keys.map((k) => {
        const p = progress.find((r) => r.dataKeyId === k.id)
        return { id: k.id, state: k.state, encryptions: Number(k.encryption_count), createdAt: k.created_at, rotation: p === undefined ? null : { doneRows: p.doneRows, totalRows: p.totalRows } }
      }),
      audit: audit.result,
      recentEvents: events.map((e) => ({ seq: Number(e.seq), at: e.at, action: e.action, actor: e.actor, subject: e.subject })),
      requestRate: metrics.requestRate(),
    }
  }
}
