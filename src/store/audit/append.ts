/**
 * Appends audit rows inside the caller's transaction. The single `audit_head` row is locked first
 * (SELECT … FOR UPDATE on PostgreSQL; SQLite transactions are already exclusive with BEGIN
 * IMMEDIATE), which gives the chain one total order even with several Coffre instances on one
 * database. Call it as the last statement of a transaction so the lock is held only until commit.
 */
import type { Transaction } from 'kysely'
import { CoffreError } from '../../errors.ts'
import type { StoreDialect } from '../dialect.ts'
import type { Database } from '../schema.ts'
import type { AuditEntry } from './entry.ts'
import { auditRowHash, canonicalDetails } from './hash.ts'

export async function appendAuditEntries(
  trx: Transaction<Database>,
  dialect: StoreDialect,
  entries: readonly AuditEntry[],
  now: Date = new Date(),
): Promise<number[]> {
  if (entries.length === 0) return []
  try {
    let query = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1)
    if (dialect === 'postgres') query = query.forUpdate()
    const head = await query.executeTakeFirstOrThrow()
    let { seq, hash } = head
    const at = now.toISOString()
    const rows = entries.map((entry) => {
      seq += 1
      const row = {
        seq,
        at,
        action: entry.action,
        actor: entry.actor,
        user_id: entry.userId ?? null,
        subject: entry.subject ?? null,
        details: canonicalDetails(entry.details),
      }
      const prev_hash = hash
      hash = auditRowHash(prev_hash, row)
      return { ...row, prev_hash, hash }
    })
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('audit_log').values(rows.slice(i, i + 500)).execute()
    await trx.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1).execute()
    return rows.map((r) => r.seq)
  } catch (cause) {
    throw new CoffreError('COFFRE_AUDIT_FAILED', 'the audit entry could not be written; the action was refused', { cause })
  }
}
