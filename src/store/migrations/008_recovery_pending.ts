/**
 * Two-phase recovery keys: `backup split` first records a new recovery key as pending (its wraps in
 * data_keys.pending_recovery_wrapped_key, its keyRef in coffre_meta 'recovery_key_ref_pending')
 * next to the current one, prints its shares, and only then makes it current. A kill in between
 * leaves both the previous shares and the ones that may have been printed able to restore.
 */
import type { Kysely, Migration } from 'kysely'

export const recoveryPendingMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('data_keys').addColumn('pending_recovery_wrapped_key', 'text').execute()
  },
}
