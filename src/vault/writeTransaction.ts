/**
 * One write transaction that stores secrets: the caller's writes, then the encryption count of the
 * active data key, then the audit rows (last, so the chain head is locked only until commit).
 * If another process rotated the data key meanwhile, the transaction rolls back and runs again
 * under the new key; nothing is half-written.
 */
import type { Transaction } from 'kysely'
import { isCoffreError } from '../errors.ts'
import type { SecretSealer } from '../crypto/secretSealer.ts'
import { appendAuditEntries } from '../store/audit/append.ts'
import type { AuditEntry } from '../store/audit/entry.ts'
import type { Database } from '../store/schema.ts'
import type { VaultContext } from './context.ts'

export type WriteOutcome<T> = { readonly result: T; readonly audit: readonly AuditEntry[] }

export async function writeWithSecrets<T>(
  ctx: VaultContext,
  work: (trx: Transaction<Database>, sealer: SecretSealer) => Promise<WriteOutcome<T>>,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const sealer = ctx.keyring.sealer()
    try {
      const outcome = await ctx.store.db.transaction().execute(async (trx) => {
        const outcome = await work(trx, sealer)
        await sealer.commit(trx)
        await appendAuditEntries(trx, ctx.store.dialect, outcome.audit)
        return outcome
      })
      if (sealer.count > 0) ctx.observer.encrypted?.(sealer.dataKeyId, sealer.count)
      for (const entry of outcome.audit) {
        ctx.observer.audited?.(entry.action, 1)
        ctx.logger.info({ audit: entry.action, actor: entry.actor, userId: entry.userId ?? undefined, subject: entry.subject ?? undefined }, 'audit')
      }
      return outcome.result
    } catch (error) {
      const retryable = isCoffreError(error) && error.code === 'COFFRE_DATA_KEY_UNAVAILABLE' && error.details?.retryable === true
      if (!retryable || attempt >= 3) throw error
      await ctx.keyring.refresh()
    }
  }
}
