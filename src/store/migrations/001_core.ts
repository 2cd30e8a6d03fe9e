/** Core schema: keyring, users, wallets, hash-chained audit log. Same DDL on SQLite and PostgreSQL. */
import { sql, type Kysely, type Migration } from 'kysely'

export const coreMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('coffre_meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('data_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('active', 'decrypt-only', 'retired')`))
      .addColumn('wrapped_key', 'text', (c) => c.notNull())
      .addColumn('provider_kind', 'text', (c) => c.notNull())
      .addColumn('provider_key_ref', 'text', (c) => c.notNull())
      .addColumn('encryption_count', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('state_changed_at', 'text', (c) => c.notNull())
      .execute()
    // At most one active data key, enforced by the database rather than by convention.
    await db.schema
      .createIndex('data_keys_one_active')
      .on('data_keys')
      .column('state')
      .unique()
      .where(sql.ref('state'), '=', 'active')
      .execute()

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('telegram_user_id', 'bigint', (c) => c.notNull().unique())
      .addColumn('username', 'text')
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('mnemonic_ciphertext', 'text')
      .addColumn('identity_public_key', 'text', (c) => c.notNull())
      .addColumn('identity_private_key_ciphertext', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('wallets')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('chain', 'text', (c) => c.notNull().check(sql`chain in ('polygon', 'solana')`))
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('private_key_ciphertext', 'text', (c) => c.notNull())
      .addColumn('derivation_path', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('wallets_pk', ['user_id', 'chain'])
      .addUniqueConstraint('wallets_chain_address', ['chain', 'address'])
      .execute()

    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('subject', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('audit_log_user').on('audit_log').columns(['user_id', 'seq']).execute()

    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute()
    await db.insertInto('audit_head').values({ id: 1, seq: 0, hash: '0'.repeat(64) }).execute()
  },
}
