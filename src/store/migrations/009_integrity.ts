/**
 * Integrity a database writer cannot forge (issue 11): the MAC key, a random 32-byte secret stored
 * wrapped by the root key in `integrity_keys` (and by the recovery key, as data keys are), and a
 * `row_mac` column on every table whose rows grant or identify. A null `row_mac` is a row written
 * before integrity was enabled; once the MAC key exists, such a row is refused. Same DDL on both engines.
 */
import type { Kysely, Migration } from 'kysely'

/** The tables whose rows carry a MAC (vault/integrity/rowFields.ts says which fields). */
export const MACED_TABLES = ['users', 'wallets', 'api_tokens', 'data_keys', 'derived_public_keys', 'pairs', 'pair_public_keys', 'clob_credentials'] as const

export const integrityMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('integrity_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('wrapped_key', 'text', (c) => c.notNull())
      .addColumn('provider_kind', 'text', (c) => c.notNull())
      .addColumn('provider_key_ref', 'text', (c) => c.notNull())
      .addColumn('recovery_wrapped_key', 'text')
      .addColumn('pending_recovery_wrapped_key', 'text')
      .addColumn('check_value', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    for (const table of MACED_TABLES) await db.schema.alterTable(table).addColumn('row_mac', 'text').execute()
  },
}
