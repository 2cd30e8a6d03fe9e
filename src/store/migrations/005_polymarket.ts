/**
 * Polymarket: per-user CLOB API credentials (secret and passphrase encrypted, see
 * secretColumns.ts) and the durable order outbox (one row per order hash, so an order is never
 * stored — hence never sent — twice). Same DDL on both engines; outbox times are unix ms.
 */
import type { Kysely, Migration } from 'kysely'

export const polymarketMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('clob_credentials')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('api_key', 'text', (c) => c.notNull())
      .addColumn('secret_ciphertext', 'text')
      .addColumn('passphrase_ciphertext', 'text')
      .addColumn('nonce', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('chain_id', 'integer', (c) => c.notNull())
      .addColumn('base_url', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('rotated_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute()
    await db.schema.createIndex('clob_credentials_key').unique().on('clob_credentials').columns(['base_url', 'api_key']).execute()
    await db.schema.createIndex('clob_credentials_user').on('clob_credentials').columns(['user_id', 'base_url', 'kind', 'state']).execute()

    await db.schema
      .createTable('order_outbox')
      .addColumn('order_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('response', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('order_outbox_due').on('order_outbox').columns(['status', 'next_attempt_at']).execute()
    await db.schema.createIndex('order_outbox_user').on('order_outbox').columns(['user_id', 'created_at']).execute()
    await db.schema.createIndex('order_outbox_created').on('order_outbox').columns(['created_at']).execute()
  },
}
