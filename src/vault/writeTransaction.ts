/**
 * One write transaction that stores secrets: the caller's writes, then the encryption count of the
 * active data key, then the audit rows (last, so the chain head is locked only until commit).
 * Before it opens, the encryptions the write needs (`encryptions`, at least) are reserved on the
 * active key — rotating it first if it has no room — so a spent nonce budget never fails a write.
 * If another process rotated the data key or spent its budget meanwhile, the transaction rolls back
 * and runs again under the then active key; nothing is half-written.
 */
import type { Transaction } from 'kysely'
import { isCoffreError } from '../errors.ts'
import type { SecretSealer } from './keyring/secretSealer.ts'
import { appendAuditEntries } from '../store/audit/append.ts'
import type { AuditEntry } from '../store/audit/entry.ts'
import type { Database } from '../store/schema.ts'
import type { VaultContext } from './context.ts'

export type WriteOutcome<T> = { readonly result: T; readonly audit: readonly AuditEntry[] }

/** Attempts when other processes keep rotating or spending the key under us (each one re-reads it). */
const ATTEMPTS = 8

export function writeWithSecrets<T>(
  ctx: VaultContext,
  work: (trx: Transaction<Database>, sealer: SecretSealer) => Promise<WriteOutcome<T>>,
  options: { readonly encryptions?: number } = {},
): Promise<T> {
  return writeSealed(ctx, async () => undefined, (trx, _sealed, sealer) => work(trx, sealer), options)
}

/**
 * As `writeWithSecrets`, with the sealing done first, before the transaction opens: `seal` encrypts
 * (and verifies) what the write stores, then `work` only writes it. On SQLite the write lock is
 * then held for the inserts alone, never for encryption or verification. `seal` runs again under
 * the new key if the transaction has to be retried.
 */
export async function writeSealed<S, T>(
  ctx: VaultContext,
  seal: (sealer: SecretSealer) => Promise<S>,
  work: (trx: Transaction<Database>, sealed: S, sealer: SecretSealer) => Promise<WriteOutcome<T>>,
  options: { readonly encryptions?: number } = {},
): Promise<T> {
  let encryptions = options.encryptions ?? 0
  for (let attempt = 1; ; attempt += 1) {
    const sealer = await ctx.keyring.sealerFor(encryptions)
    let outcome: WriteOutcome<T>
    try {
      const sealed = await seal(sealer)
      outcome = await ctx.store.db.transaction().execute(async (trx) => {
        const outcome = await work(trx, sealed, sealer)
        await sealer.commit(trx)
        await appendAuditEntries(trx, ctx.store.dialect, outcome.audit)
        return outcome
      })
    } catch (error) {
      sealer.settle(false)
      const retryable = isCoffreError(error) && error.code === 'COFFRE_DATA_KEY_UNAVAILABLE' && error.details?.retryable === true
      if (!retryable || attempt >= ATTEMPTS) throw error
      const needed = error.details?.needed
      if (typeof needed === 'number') encryptions = Math.max(encryptions, needed)
      await ctx.keyring.refresh()
      continue
    }
    sealer.settle(true)
    if (sealer.count > 0) ctx.observer.encrypted?.(sealer.dataKeyId, sealer.count)
    for (const entry of outcome.audit) {
      ctx.observer.audited?.(entry.action, 1)
      ctx.logger.info({ audit: entry.action, actor: entry.actor, userId: entry.userId ?? undefined, subject: entry.subject ?? undefined }, 'audit')
    }
    return outcome.result
  }
}
