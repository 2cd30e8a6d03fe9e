/**
 * Key management: data-key rotation progress, scheduler runs and leases, legacy import quarantine,
 * legacy Polymarket API credentials, and a vault id that tags backup shares. Same DDL on both engines.
 */
import { randomBytes } from 'node:crypto'
import type { Kysely, Migration } from 'kysely'

export const keyManagementMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    // One row per data key being drained: secrets referencing it at the start, and rewritten since.
    await db.schema
      .createTable('rotation_progress')
      .addColumn('data_key_id', 'text', (c) => c.primaryKey())
      .addColumn('total_rows', 'bigint', (c) => c.notNull())
      .addColumn('done_rows', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute()

    await db.schema
      .createTable('scheduler_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('job', 'text', (c) => c.notNull())
      .addColumn('instance', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text', (c) => c.notNull())
      .addColumn('ok', 'integer', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('scheduler_runs_job').on('scheduler_runs').columns(['job', 'started_at']).execute()

    // SQLite has no advisory locks: a lease row per job name, taken while it has expired.
    await db.schema
      .createTable('scheduler_leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('legacy_import_quarantine')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('telegram_user_id', 'bigint', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('legacy_import_quarantine_pk', ['source', 'telegram_user_id', 'field'])
      .execute()

    await db.schema
      .createTable('legacy_api_credentials')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('api_key', 'text', (c) => c.notNull())
      .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
      .addColumn('passphrase_ciphertext', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()

    await db.insertInto('coffre_meta').values({ key: 'vault_id', value: randomBytes(12).toString('hex') }).execute()
  },
}
