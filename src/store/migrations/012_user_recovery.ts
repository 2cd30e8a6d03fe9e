/**
 * Per-user recovery (issue 14).
 * - `user_backups`: one row per Shamir backup of a user's BIP-39 entropy (t-of-n, default 2-of-3):
 *   where each share went. Share 1 sealed in the vault (a registered secret column, bound to the
 *   backup id and the user), share 2 in object storage (key, version, lock date and SHA-256 of the
 *   write-once object), share 3 handed to the user sealed (only its index and format are kept).
 *   A user may have several backups; restore names one, or takes the newest.
 */
import type { Kysely, Migration } from 'kysely'

export const userRecoveryMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('user_backups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('threshold', 'integer', (c) => c.notNull())
      .addColumn('share_count', 'integer', (c) => c.notNull())
      .addColumn('vault_share_index', 'integer', (c) => c.notNull())
      .addColumn('vault_share_ciphertext', 'text', (c) => c.notNull())
      .addColumn('object_share_index', 'integer', (c) => c.notNull())
      .addColumn('object_bucket', 'text', (c) => c.notNull())
      .addColumn('object_key', 'text', (c) => c.notNull())
      .addColumn('object_version_id', 'text')
      .addColumn('object_locked_until', 'text')
      .addColumn('object_sha256', 'text', (c) => c.notNull())
      .addColumn('user_share_index', 'integer', (c) => c.notNull())
      .addColumn('user_share_format', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('user_backups_by_user').on('user_backups').columns(['user_id', 'created_at']).execute()
  },
}
