/**
 * `integrity_keys`: the MAC key's wraps (by the root key, and by the current or pending recovery
 * key). One row, id `mac-v1`. Inserted once, in the transaction that enables integrity.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Database, IntegrityKeysTable } from './schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type IntegrityKeyRow = Omit<IntegrityKeysTable, 'recovery_wrapped_key' | 'pending_recovery_wrapped_key'> & {
  recovery_wrapped_key?: string | null
  pending_recovery_wrapped_key?: string | null
}

export async function findIntegrityKey(db: Executor, id: string): Promise<IntegrityKeyRow | undefined> {
  return db.selectFrom('integrity_keys').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertIntegrityKey(trx: Transaction<Database>, row: IntegrityKeyRow): Promise<void> {
  await trx.insertInto('integrity_keys').values(row).execute()
}

export async function updateIntegrityKeyWrap(trx: Transaction<Database>, id: string, wrapped: string, providerKind: string, providerKeyRef: string): Promise<void> {
  await trx.updateTable('integrity_keys').set({ wrapped_key: wrapped, provider_kind: providerKind, provider_key_ref: providerKeyRef }).where('id', '=', id).execute()
}

/** Records the pending recovery key's wrap of the MAC key (backup split, phase 1). */
export async function writePendingIntegrityKeyWrap(trx: Transaction<Database>, id: string, wrapped: string): Promise<void> {
  await trx.updateTable('integrity_keys').set({ pending_recovery_wrapped_key: wrapped }).where('id', '=', id).execute()
}

/** The pending recovery wrap becomes the current one (backup split, phase 2). */
export async function promotePendingIntegrityKeyWrap(trx: Transaction<Database>): Promise<void> {
  await trx.updateTable('integrity_keys').set((eb) => ({ recovery_wrapped_key: eb.ref('pending_recovery_wrapped_key'), pending_recovery_wrapped_key: null })).execute()
}

/** Whether the audit trail says integrity was enabled here (a deleted MAC-key row must not quietly re-enable it). */
export async function integrityEnabledInAudit(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('audit_log').select('seq').where('action', '=', 'integrity.enable').limit(1).executeTakeFirst()
  return row !== undefined
}
