/**
 * One batch of a data-key rotation, committed atomically: select up to `limit` rows of one secret
 * column whose ciphertext still names the source key (after a keyset cursor; PostgreSQL locks
 * them FOR UPDATE SKIP LOCKED so several workers and instances share the work), re-encrypt each
 * under the active key, write it back only if the stored value is still the one read
 * (compare-and-set), count the encryptions against the nonce budget and advance the progress row.
 * Rows that fail to decrypt stay as they are and are audited (`secret.decrypt-failed`) in the batch.
 * A crash loses at most this uncommitted batch; running again picks the rows up.
 */
import { isCoffreError } from '../../errors.ts'
import { appendAuditEntries } from '../../store/audit/append.ts'
import type { AuditEntry } from '../../store/audit/entry.ts'
import { advanceDrain } from '../../store/rotationProgress.ts'
import { compareAndSetSecrets, selectSecretRows, type SecretRow, type SecretUpdate } from '../../store/secretRewrites.ts'
import type { SecretColumn } from '../../store/secretColumns.ts'
import { nowOf, type RotationDeps } from './rotationDeps.ts'
import { dataKeyPattern } from './secretReferences.ts'

export type BatchResult = {
  /** Rows selected (0 = this column is drained past the cursor). */
  readonly scanned: number
  readonly rewritten: number
  /** Key values of the last row selected: the next batch starts after it. */
  readonly cursor: readonly unknown[] | null
  readonly failures: readonly string[]
}


export async function reencryptBatch(deps: RotationDeps, column: SecretColumn, sourceKeyId: string, cursor: readonly unknown[] | null, limit: number): Promise<BatchResult> {
  // Everything the transaction needs is loaded before it opens: the source key is unwrapped here,
  // and room for at least one re-encryption is reserved on the active key (rotating it if spent).
  await deps.keyring.loadDataKey(sourceKeyId)
  for (let attempt = 0; ; attempt += 1) {
    const sealer = await deps.keyring.sealerFor(1)
    try {
      const result = await deps.db.transaction().execute(async (trx) => {
        const rows = await selectSecretRows(trx, deps.dialect, column, dataKeyPattern(sourceKeyId), cursor, limit)
        const updates: SecretUpdate[] = []
        const failures: string[] = []
        const audit: AuditEntry[] = []
        let processed = 0
        for (const row of rows) {
          // The active key has no room left: the rows after this one go to the next batch.
          if (!sealer.take(1)) break
          processed += 1
          const old = row[column.column] as string
          const place = { table: column.table, column: column.column, row: column.rowIdentity(row) }
          const keys = column.keyColumns.map((k) => row[k])
          let plaintext: Uint8Array
          try {
            plaintext = await deps.keyring.decrypt(old, place, trx)
          } catch (error) {
            const code = isCoffreError(error) ? error.code : 'COFFRE_INTERNAL'
            failures.push(`${column.table}.${column.column} ${keys.join('/')}: ${code}`)
            audit.push(decryptFailure(deps, column, sourceKeyId, code, row))
            continue
          }
          try {
            updates.push({ keys, old, next: sealer.seal(plaintext, place) })
          } finally {
            plaintext.fill(0)
          }
        }
        const rewritten = await compareAndSetSecrets(trx, deps.dialect, column, updates)
        await sealer.commit(trx)
        if (rewritten > 0) await advanceDrain(trx, sourceKeyId, rewritten, nowOf(deps).toISOString())
        await appendAuditEntries(trx, deps.dialect, audit)
        const last = rows[processed - 1]
        return { scanned: processed, rewritten, cursor: last === undefined ? cursor : column.keyColumns.map((k) => last[k]), failures }
      })
      sealer.settle(true)
      return result
    } catch (error) {
      sealer.settle(false)
      const retryable = isCoffreError(error) && error.code === 'COFFRE_DATA_KEY_UNAVAILABLE' && error.details?.retryable === true
      if (!retryable || attempt >= 8) throw error
      await deps.keyring.refresh() // another process rotated the active key or spent it: seal under the then active one
    }
  }
}

/** A secret that would not decrypt during rotation is left in place and audited (never its value). */
function decryptFailure(deps: RotationDeps, column: SecretColumn, dataKeyId: string, code: string, row: SecretRow): AuditEntry {
  const userId = column.table === 'users' ? row.id : row.user_id
  return {
    action: 'secret.decrypt-failed',
    actor: deps.actor,
    userId: typeof userId === 'string' ? userId : null,
    subject: `${column.table}.${column.column}`,
    details: { purpose: 'rotation', dataKeyId, code },
  }
}

