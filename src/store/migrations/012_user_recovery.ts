/**
 * Per-user recovery (issue 14).
 * - `user_backups`: one row per Shamir backup of a user's BIP-39 entropy (t-of-n, default 2-of-3):
 *   where each share went. Share 1 sealed in the vault (a registered secret column, bound to the
 *   backup id and the user), share 2 in object storage (key, version, lock date and SHA-256 of the
 *   write-once object), share 3 handed to the user sealed (only its index and format are kept).
 *   A user may have several backups; restore names one, or takes the newest.
 * - `user_guardian_sets`: a user's guardians (secp256k1 keys of a seed-004 pair, copied here at
 *   registration so a later edit of the pair cannot add a guardian), threshold t < n, the backup id
 *   of the guardian shares and those shares sealed to each guardian (ECIES). One active set per
 *   user; rotating makes a new version and voids requests naming the old one.
 * - `recovery_requests`: moving a user's wallets to a new telegram id: the canonical text the
 *   guardians sign, their signatures, the waiting period, and the state.
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

    await db.schema
      .createTable('user_guardian_sets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('pair_uuid', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('threshold', 'integer', (c) => c.notNull())
      .addColumn('guardian_keys', 'text', (c) => c.notNull())
      .addColumn('backup_id', 'text', (c) => c.notNull())
      .addColumn('sealed_shares', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('removed_at', 'text')
      .execute()
    await db.schema.createIndex('user_guardian_sets_version').on('user_guardian_sets').columns(['user_id', 'version']).unique().execute()

    await db.schema
      .createTable('recovery_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('guardian_set_id', 'text', (c) => c.notNull())
      .addColumn('old_telegram_user_id', 'bigint', (c) => c.notNull())
      .addColumn('new_telegram_user_id', 'bigint', (c) => c.notNull())
      .addColumn('request_text', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('signatures', 'text', (c) => c.notNull())
      .addColumn('approved_by', 'text', (c) => c.notNull())
      .addColumn('executable_at', 'bigint')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('recovery_requests_by_user').on('recovery_requests').columns(['user_id', 'state']).execute()
  },
}
