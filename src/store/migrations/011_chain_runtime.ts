/**
 * On chain, wired into the vault (issue 13): each user's onboarding stage (created → funded →
 * approved → ready, forward only) and withdrawals (one row per request, pointing at the outbox
 * transaction that carries it; `request_id` makes a retried request find its row instead of
 * sending twice). Same DDL on both engines.
 */
import type { Kysely, Migration } from 'kysely'

export const chainRuntimeMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('chain_onboarding')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('funded_at', 'text')
      .addColumn('approved_at', 'text')
      .addColumn('ready_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('chain_withdrawals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('chain', 'text', (c) => c.notNull())
      .addColumn('asset', 'text', (c) => c.notNull())
      .addColumn('amount', 'text', (c) => c.notNull())
      .addColumn('from_address', 'text', (c) => c.notNull())
      .addColumn('to_address', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('tx_ref', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('chain_withdrawals_request').unique().on('chain_withdrawals').column('request_id').execute()
    await db.schema.createIndex('chain_withdrawals_open').on('chain_withdrawals').columns(['state', 'updated_at']).execute()
    await db.schema.createIndex('chain_withdrawals_user').on('chain_withdrawals').columns(['user_id', 'created_at']).execute()
  },
}
