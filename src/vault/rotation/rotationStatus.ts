/**
 * What an operator, `/metrics` and the dashboard see of the keyring: each data key with its state,
 * nonce-budget use and age, the re-encryption progress of keys being drained, and whether a
 * rotation is due (budget fraction used or cryptoperiod passed).
 */
import type { Kysely } from 'kysely'
import { listDataKeys } from '../../store/dataKeys.ts'
import { listDrains, pendingDrains } from '../../store/rotationProgress.ts'
import type { Database } from '../../store/schema.ts'

export const DEFAULT_CRYPTOPERIOD_DAYS = 90
/** Rotate when this fraction of the nonce budget is used, so writers never hit the hard limit. */
export const DEFAULT_BUDGET_FRACTION = 0.75

export type DataKeyInfo = {
  readonly id: string
  readonly state: 'active' | 'decrypt-only' | 'retired'
  readonly encryptionCount: number
  readonly budget: number
  readonly createdAt: string
  readonly stateChangedAt: string
  readonly provider: { readonly kind: string; readonly keyRef: string }
}

export type DataKeyProgress = {
  readonly dataKeyId: string
  readonly state: string
  readonly totalRows: number
  readonly doneRows: number
  readonly startedAt: string
  readonly updatedAt: string
  readonly finishedAt: string | null
}

export type RotationPolicy = { readonly nonceBudget: number; readonly cryptoperiodDays?: number; readonly budgetFraction?: number; readonly now?: Date }

/** `draining`: decrypt-only keys a rotation set out to re-encrypt and has not finished. */
export type RotationDue = { readonly due: boolean; readonly reasons: readonly string[]; readonly activeDataKeyId: string | null; readonly draining: readonly string[] }

export async function listDataKeyInfo(db: Kysely<Database>, nonceBudget: number): Promise<DataKeyInfo[]> {
  return (await listDataKeys(db)).map((k) => ({
    id: k.id,
    state: k.state,
    encryptionCount: Number(k.encryption_count),
    budget: nonceBudget,
    createdAt: k.created_at,
    stateChangedAt: k.state_changed_at,
    provider: { kind: k.provider_kind, keyRef: k.provider_key_ref },
  }))
}

export async function readRotationProgress(db: Kysely<Database>): Promise<DataKeyProgress[]> {
  const rows = await listDrains(db)
  return rows.map((r) => ({
    dataKeyId: r.data_key_id,
    state: r.state,
    totalRows: Number(r.total_rows),
    doneRows: Number(r.done_rows),
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  }))
}

export async function checkRotationDue(db: Kysely<Database>, policy: RotationPolicy): Promise<RotationDue> {
  const keys = await listDataKeys(db)
  const active = keys.find((k) => k.state === 'active')
  const draining = await pendingDrains(db)
  const reasons: string[] = []
  if (active !== undefined) {
    const used = Number(active.encryption_count)
    const limit = Math.floor(policy.nonceBudget * (policy.budgetFraction ?? DEFAULT_BUDGET_FRACTION))
    if (used >= limit) reasons.push(`nonce budget: ${used} of ${policy.nonceBudget} encryptions used (rotates at ${limit})`)
    const days = policy.cryptoperiodDays ?? DEFAULT_CRYPTOPERIOD_DAYS
    const ageDays = ((policy.now ?? new Date()).getTime() - Date.parse(active.created_at)) / 86_400_000
    if (ageDays >= days) reasons.push(`cryptoperiod: the active key is ${Math.floor(ageDays)} days old (limit ${days})`)
  }
  return { due: reasons.length > 0, reasons, activeDataKeyId: active?.id ?? null, draining }
}
