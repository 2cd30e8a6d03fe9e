/**
 * On chain (issue 13): deposit scan checkpoints (EVM per scanner, Solana per account), deposits
 * (one row per transfer, its state following reorgs), per-address EVM nonces, the durable EVM
 * transaction outbox with every signed attempt (fee-bumped replacements share a nonce), the Solana
 * transaction outbox, and the webhook outbox (events, and one delivery row per endpoint).
 * Amounts are decimal text (uint256 does not fit a bigint column); outbox times are unix ms.
 * Same DDL on both engines.
 */
import type { Kysely, Migration } from 'kysely'

export const chainMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('chain_evm_checkpoints')
      .addColumn('scanner', 'text', (c) => c.primaryKey())
      .addColumn('chain_id', 'integer', (c) => c.notNull())
      .addColumn('next_block', 'bigint', (c) => c.notNull())
      /** JSON [[number, hash], …], ascending. */
      .addColumn('recent_blocks', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('chain_solana_checkpoints')
      .addColumn('account', 'text', (c) => c.primaryKey())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('last_signature', 'text')
      .addColumn('balance', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('chain_deposits')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('chain', 'text', (c) => c.notNull())
      .addColumn('tx_ref', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('asset', 'text', (c) => c.notNull())
      .addColumn('from_address', 'text')
      .addColumn('to_address', 'text', (c) => c.notNull())
      .addColumn('amount', 'text', (c) => c.notNull())
      .addColumn('block_number', 'bigint', (c) => c.notNull())
      .addColumn('block_hash', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('chain_deposits_identity').unique().on('chain_deposits').columns(['chain', 'tx_ref', 'position', 'to_address', 'asset']).execute()
    await db.schema.createIndex('chain_deposits_block').on('chain_deposits').columns(['chain', 'block_number']).execute()
    await db.schema.createIndex('chain_deposits_to').on('chain_deposits').columns(['to_address', 'created_at']).execute()

    await db.schema
      .createTable('chain_nonces')
      .addColumn('chain_id', 'integer', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('next_nonce', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('chain_nonces_pk', ['chain_id', 'address'])
      .execute()

    await db.schema
      .createTable('evm_transactions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('chain_id', 'integer', (c) => c.notNull())
      .addColumn('from_address', 'text', (c) => c.notNull())
      .addColumn('nonce', 'bigint', (c) => c.notNull())
      .addColumn('to_address', 'text')
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('gas', 'text', (c) => c.notNull())
      .addColumn('max_fee_per_gas', 'text', (c) => c.notNull())
      .addColumn('max_priority_fee_per_gas', 'text', (c) => c.notNull())
      .addColumn('intent_hash', 'text', (c) => c.notNull())
      .addColumn('raw', 'text')
      .addColumn('tx_hash', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('sent_at', 'bigint')
      .addColumn('block_number', 'bigint')
      .addColumn('block_hash', 'text')
      .addColumn('mined_hash', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('evm_transactions_nonce').unique().on('evm_transactions').columns(['chain_id', 'from_address', 'nonce']).execute()
    await db.schema.createIndex('evm_transactions_due').on('evm_transactions').columns(['state', 'next_attempt_at']).execute()

    await db.schema
      .createTable('evm_transaction_attempts')
      .addColumn('tx_hash', 'text', (c) => c.primaryKey())
      .addColumn('transaction_id', 'text', (c) => c.notNull().references('evm_transactions.id').onDelete('cascade'))
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('max_fee_per_gas', 'text', (c) => c.notNull())
      .addColumn('max_priority_fee_per_gas', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('evm_transaction_attempts_tx').on('evm_transaction_attempts').columns(['transaction_id', 'created_at']).execute()

    await db.schema
      .createTable('solana_transactions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('from_address', 'text', (c) => c.notNull())
      .addColumn('intent', 'text', (c) => c.notNull())
      .addColumn('intent_hash', 'text', (c) => c.notNull())
      .addColumn('signature', 'text')
      .addColumn('wire', 'text')
      .addColumn('last_valid_block_height', 'bigint')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rebuilds', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('slot', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('solana_transactions_due').on('solana_transactions').columns(['state', 'next_attempt_at']).execute()

    await db.schema
      .createTable('webhook_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('event_id', 'text', (c) => c.notNull().references('webhook_events.id').onDelete('cascade'))
      .addColumn('endpoint', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('delivered_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_deliveries_pk', ['event_id', 'endpoint'])
      .execute()
    await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['state', 'next_attempt_at']).execute()
  },
}
