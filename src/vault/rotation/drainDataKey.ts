/**
 * Re-encrypts every secret that names one decrypt-only data key under the active key, column by
 * column, with `workers` concurrent batch loops on PostgreSQL (SKIP LOCKED keeps them apart; SQLite
 * has one writer, so one loop). Then retires the key if nothing references it any more.
 */
import { CoffreError } from '../../errors.ts'
import { appendAuditEntries } from '../../store/audit/append.ts'
import { findDataKey } from '../../store/dataKeys.ts'
import { beginDrain, finishDrain } from '../../store/rotationProgress.ts'
import { secretColumns, type SecretColumn } from '../../store/secretColumns.ts'
import { reencryptBatch } from './reencryptBatch.ts'
import { nowOf, type RotationDeps } from './rotationDeps.ts'
import { countReferences } from './secretReferences.ts'

export type DrainOptions = {
  readonly batchSize?: number
  readonly workers?: number
  /** Called after each committed batch (progress bars, metrics). */
  readonly onBatch?: (event: { readonly dataKeyId: string; readonly rewritten: number }) => void
  readonly signal?: AbortSignal
}

export type DrainResult = { readonly dataKeyId: string; readonly rewritten: number; readonly remaining: number; readonly retired: boolean; readonly failures: readonly string[] }

export async function drainDataKey(deps: RotationDeps, dataKeyId: string, options: DrainOptions = {}): Promise<DrainResult> {
  const key = await findDataKey(deps.db, dataKeyId)
  if (key === undefined) throw new CoffreError('COFFRE_NOT_FOUND', `no data key ${dataKeyId}`)
  if (key.state === 'active') throw new CoffreError('COFFRE_CONFLICT', `data key ${dataKeyId} is the active key; rotate first`)
  if (key.state === 'retired') return { dataKeyId, rewritten: 0, remaining: 0, retired: true, failures: [] }
  await startProgress(deps, dataKeyId)
  const batchSize = options.batchSize ?? 2_000
  const workers = deps.dialect === 'postgres' ? Math.max(1, options.workers ?? 2) : 1
  let rewritten = 0
  const failures: string[] = []
  const loop = async (column: SecretColumn) => {
    let cursor: readonly unknown[] | null = null
    for (;;) {
      if (options.signal?.aborted === true) return
      const batch = await reencryptBatch(deps, column, dataKeyId, cursor, batchSize)
      if (batch.scanned === 0) return
      rewritten += batch.rewritten
      failures.push(...batch.failures)
      cursor = batch.cursor
      if (batch.rewritten > 0) options.onBatch?.({ dataKeyId, rewritten: batch.rewritten })
    }
  }
  for (const column of secretColumns) await Promise.all(Array.from({ length: workers }, () => loop(column)))
  const remaining = options.signal?.aborted === true ? await countReferences(deps.db, dataKeyId) : await retireIfUnreferenced(deps, dataKeyId)
  return { dataKeyId, rewritten, remaining, retired: remaining === 0, failures }
}

async function startProgress(deps: RotationDeps, dataKeyId: string): Promise<void> {
  const total = await countReferences(deps.db, dataKeyId)
  await beginDrain(deps.db, dataKeyId, total, nowOf(deps).toISOString())
}

/**
 * Retires the key in one transaction that first counts its references again: writers only seal
 * under the active key (SecretSealer.commit checks), so once this count is zero it stays zero.
 * Returns the references left (0 when retired).
 */
async function retireIfUnreferenced(deps: RotationDeps, dataKeyId: string): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const remaining = await countReferences(trx, dataKeyId)
    if (remaining > 0) return remaining
    const at = nowOf(deps).toISOString()
    const row = await findDataKey(trx, dataKeyId)
    if (row?.state !== 'decrypt-only') return 0
    await deps.keyring.setDataKeyState(trx, dataKeyId, 'retired', at)
    await finishDrain(trx, dataKeyId, at)
    await appendAuditEntries(trx, deps.dialect, [{ action: 'keys.retire-data-key', actor: deps.actor, subject: `data_key:${dataKeyId}`, details: { dataKeyId } }])
    return 0
  })
}
