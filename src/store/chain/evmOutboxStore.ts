/**
 * The EVM transaction outbox in SQL (EvmOutboxStore, src/chain/tx/evmOutbox.ts) on SQLite and
 * PostgreSQL. `prepare` allocates the nonce (nonces.ts) and inserts the row in one transaction;
 * an id that exists already rolls that transaction back, so it consumes no nonce.
 */
import type { Kysely, Selectable } from 'kysely'
import { getAddress, type Address, type Hex } from 'viem'
import type { EvmOutboxStore, EvmOutboxTx, EvmTxAttempt, EvmTxPatch, EvmTxState } from './evmOutbox.ts'
import type { StoreDialect } from '../dialect.ts'
import type { Database, EvmTransactionsTable } from '../schema.ts'
import { claimDue } from './claimDue.ts'
import { allocateNonce } from './nonces.ts'

type Row = Selectable<EvmTransactionsTable>

const toTx = (row: Row): EvmOutboxTx => ({
  id: row.id,
  chainId: Number(row.chain_id),
  from: getAddress(row.from_address),
  nonce: Number(row.nonce),
  to: row.to_address === null ? null : getAddress(row.to_address),
  value: BigInt(row.value),
  data: row.data as Hex,
  gas: BigInt(row.gas),
  fees: { maxFeePerGas: BigInt(row.max_fee_per_gas), maxPriorityFeePerGas: BigInt(row.max_priority_fee_per_gas) },
  intentHash: row.intent_hash,
  raw: row.raw as Hex | null,
  txHash: row.tx_hash as Hex | null,
  state: row.state,
  attempts: Number(row.attempts),
  nextAttemptAt: Number(row.next_attempt_at),
  sentAt: row.sent_at === null ? null : Number(row.sent_at),
  blockNumber: row.block_number === null ? null : BigInt(row.block_number),
  blockHash: row.block_hash as Hex | null,
  minedHash: row.mined_hash as Hex | null,
  lastError: row.last_error,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
})

const ALREADY_THERE = Symbol('already there')

function patchColumns(patch: EvmTxPatch): Partial<Row> {
  const columns: Partial<Row> = {}
  if (patch.state !== undefined) columns.state = patch.state
  if (patch.nextAttemptAt !== undefined) columns.next_attempt_at = patch.nextAttemptAt
  if (patch.sentAt !== undefined) columns.sent_at = patch.sentAt
  if (patch.blockNumber !== undefined) columns.block_number = patch.blockNumber === null ? null : Number(patch.blockNumber)
  if (patch.blockHash !== undefined) columns.block_hash = patch.blockHash
  if (patch.minedHash !== undefined) columns.mined_hash = patch.minedHash
  if (patch.lastError !== undefined) columns.last_error = patch.lastError
  return columns
}

export function createSqlEvmOutboxStore(db: Kysely<Database>, dialect: StoreDialect): EvmOutboxStore {
  async function get(id: string): Promise<EvmOutboxTx | undefined> {
    const row = await db.selectFrom('evm_transactions').selectAll().where('id', '=', id).executeTakeFirst()
    return row === undefined ? undefined : toTx(row)
  }

  return {
    async prepare(tx) {
      const from = getAddress(tx.from)
      try {
        await db.transaction().execute(async (trx) => {
          const exists = await trx.selectFrom('evm_transactions').select('id').where('id', '=', tx.id).executeTakeFirst()
          if (exists !== undefined) throw ALREADY_THERE
          const nonce = await allocateNonce(trx, dialect, { chainId: tx.chainId, address: from, chainPendingNonce: tx.chainPendingNonce, at: new Date(tx.now).toISOString() })
          const inserted = await trx
            .insertInto('evm_transactions')
            .values({
              id: tx.id,
              chain_id: tx.chainId,
              from_address: from,
              nonce,
              to_address: tx.to === null ? null : getAddress(tx.to),
              value: tx.value.toString(),
              data: tx.data,
              gas: tx.gas.toString(),
              max_fee_per_gas: tx.fees.maxFeePerGas.toString(),
              max_priority_fee_per_gas: tx.fees.maxPriorityFeePerGas.toString(),
              intent_hash: tx.intentHash,
              raw: null,
              tx_hash: null,
              state: 'prepared',
              attempts: 0,
              next_attempt_at: tx.nextAttemptAt,
              sent_at: null,
              block_number: null,
              block_hash: null,
              mined_hash: null,
              last_error: null,
              created_at: tx.now,
              updated_at: tx.now,
            })
            .onConflict((oc) => oc.column('id').doNothing())
            .executeTakeFirst()
          // A concurrent insert of the same id won: undo our nonce with this transaction.
          if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) throw ALREADY_THERE
        })
      } catch (error) {
        if (error !== ALREADY_THERE) throw error
        const existing = await get(tx.id)
        if (existing === undefined) throw new Error('outbox row vanished')
        return { inserted: false, tx: existing }
      }
      const stored = await get(tx.id)
      if (stored === undefined) throw new Error('outbox row vanished after insert')
      return { inserted: true, tx: stored }
    },

    async recordAttempt(id, attempt, { from, state, sentAt, now }) {
      return db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('evm_transactions')
          .set({
            raw: attempt.raw,
            tx_hash: attempt.txHash,
            max_fee_per_gas: attempt.fees.maxFeePerGas.toString(),
            max_priority_fee_per_gas: attempt.fees.maxPriorityFeePerGas.toString(),
            state,
            sent_at: sentAt,
            updated_at: now,
          })
          .where('id', '=', id)
          .where('state', 'in', [...from])
          .executeTakeFirst()
        if (Number(updated.numUpdatedRows) !== 1) return false
        await trx
          .insertInto('evm_transaction_attempts')
          .values({ tx_hash: attempt.txHash, transaction_id: id, raw: attempt.raw, max_fee_per_gas: attempt.fees.maxFeePerGas.toString(), max_priority_fee_per_gas: attempt.fees.maxPriorityFeePerGas.toString(), created_at: attempt.createdAt })
          .onConflict((oc) => oc.column('tx_hash').doNothing())
          .execute()
        return true
      })
    },

    async transition(id, from, patch, now) {
      const updated = await db
        .updateTable('evm_transactions')
        .set({ ...patchColumns(patch), updated_at: now })
        .where('id', '=', id)
        .where('state', 'in', [...from])
        .executeTakeFirst()
      return Number(updated.numUpdatedRows) === 1
    },

    async claimDue({ chainId, now, limit, leaseMs }) {
      const rows = await claimDue<Row>(db, dialect, {
        table: 'evm_transactions',
        key: ['id'],
        states: ['prepared', 'signed', 'sent', 'mined'] satisfies EvmTxState[],
        now,
        limit,
        leaseMs,
        where: { column: 'chain_id', value: chainId },
      })
      return rows.map(toTx)
    },

    get,

    async attempts(id) {
      const rows = await db.selectFrom('evm_transaction_attempts').selectAll().where('transaction_id', '=', id).orderBy('created_at').orderBy('tx_hash').execute()
      return rows.map(
        (r): EvmTxAttempt => ({ txHash: r.tx_hash as Hex, raw: r.raw as Hex, fees: { maxFeePerGas: BigInt(r.max_fee_per_gas), maxPriorityFeePerGas: BigInt(r.max_priority_fee_per_gas) }, createdAt: Number(r.created_at) }),
      )
    },

    async list(args: { chainId?: number; from?: Address; state?: EvmTxState; limit?: number } = {}) {
      let query = db.selectFrom('evm_transactions').selectAll().orderBy('created_at').orderBy('id')
      if (args.chainId !== undefined) query = query.where('chain_id', '=', args.chainId)
      if (args.from !== undefined) query = query.where('from_address', '=', getAddress(args.from))
      if (args.state !== undefined) query = query.where('state', '=', args.state)
      if (args.limit !== undefined) query = query.limit(args.limit)
      return (await query.execute()).map(toTx)
    },
  }
}
