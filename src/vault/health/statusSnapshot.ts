/**
 * What the status pages show, gathered in one pass on the health monitor's timer: user count, data
 * keys with their budget use and rotation progress, the latest audit events, and the audit chain
 * verified incrementally from the previous pass's checkpoint. Pages render the latest snapshot;
 * they never query the store themselves.
 */
import { readRotationProgress, type DataKeyProgress } from '../rotation/rotationStatus.ts'
import { recentAuditEvents, type RecentAuditEvent } from '../../store/audit/recentEvents.ts'
import { verifyAuditChainFrom, type AuditCheckpoint, type AuditVerification } from '../../store/audit/verify.ts'
import { listDataKeys } from '../../store/dataKeys.ts'
import { countUsers } from '../../store/users.ts'
import type { VaultContext } from '../context.ts'

export type SnapshotDataKey = { readonly id: string; readonly state: string; readonly encryptions: number; readonly createdAt: string }

export type StatusSnapshot = {
  readonly at: string
  readonly users: number
  readonly nonceBudget: number
  readonly dataKeys: readonly SnapshotDataKey[]
  readonly progress: readonly DataKeyProgress[]
  readonly recentEvents: readonly RecentAuditEvent[]
  /** Incremental: newer entries, the checkpoint row and the head (a full walk is `audit verify`). */
  readonly audit: AuditVerification & { readonly checkedAt: string }
}

export type SnapshotResult = { readonly snapshot: StatusSnapshot; readonly checkpoint: AuditCheckpoint }

export async function takeStatusSnapshot(ctx: Pick<VaultContext, 'store' | 'keyring'>, checkpoint: AuditCheckpoint | null): Promise<SnapshotResult> {
  const db = ctx.store.db
  const verified = await verifyAuditChainFrom(db, checkpoint)
  const [users, keys, progress, recentEvents] = await Promise.all([countUsers(db), listDataKeys(db), readRotationProgress(db), recentAuditEvents(db, 20)])
  const at = new Date().toISOString()
  return {
    checkpoint: verified.checkpoint,
    snapshot: {
      at,
      users,
      nonceBudget: ctx.keyring.nonceBudget,
      dataKeys: keys.map((k) => ({ id: k.id, state: k.state, encryptions: Number(k.encryption_count), createdAt: k.created_at })),
      progress,
      recentEvents,
      audit: { ...verified.result, checkedAt: at },
    },
  }
}
