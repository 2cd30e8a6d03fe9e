/** The Solana transaction outbox in SQL (SolanaOutboxStore, src/chain/tx/solana/solanaOutbox.ts). */
import type { Kysely, Selectable } from 'kysely'
import type { SolanaOutboxStore, SolanaOutboxTx, SolanaTxPatch } from './solanaOutbox.ts'
import type { StoreDialect } from '../dialect.ts'
import type { Database, SolanaTransactionsTable } from '../schema.ts'
import { claimDue } from './claimDue.ts'

type Row = Selectable<SolanaTransactionsTable>

const toTx = (row: Row): SolanaOutboxTx => ({
  id: row.id,
  from: row.from_address,
  intent: row.intent,
  intentHash: row.intent_hash,
  signature: row.signature,
  wire: row.wire,
  lastValidBlockHeight: row.last_valid_block_height === null ? null : BigInt(row.last_valid_block_height),
  state: row.state,
  attempts: Number(row.attempts),
  rebuilds: Number(row.rebuilds),
  nextAttemptAt: Number(row.next_attempt_at),
  slot: row.slot === null ? null : BigInt(row.slot),
  lastError: row.last_error,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
})

function patchColumns(patch: SolanaTxPatch): Partial<Row> {
  const columns: Partial<Row> = {}
  if (patch.state !== undefined) columns.state = patch.state
  if (patch.nextAttemptAt !== undefined) columns.next_attempt_at = patch.nextAttemptAt
  if (patch.slot !== undefined) columns.slot = patch.slot === null ? null : Number(patch.slot)
  if (patch.lastError !== undefined) columns.last_error = patch.lastError
  return columns
}

export function createSqlSolanaOutboxStore(db: Kysely<Database>, dialect: StoreDialect): SolanaOutboxStore {
  async function get(id: string): Promise<SolanaOutboxTx | undefined> {
    const row = await db.selectFrom('solana_transactions').selectAll().where('id', '=', id).executeTakeFirst()
    return row === undefined ? undefined : toTx(row)
  }
  return {
    async insert(tx) {
      const result = await db
        .insertInto('solana_transactions')
        .values({ id: tx.id, from_address: tx.from, intent: tx.intent, intent_hash: tx.intentHash, signature: null, wire: null, last_valid_block_height: null, state: 'pending', attempts: 0, rebuilds: 0, next_attempt_at: tx.nextAttemptAt, slot: null, last_error: null, created_at: tx.now, updated_at: tx.now })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst()
      const stored = await get(tx.id)
      if (stored === undefined) throw new Error('outbox row vanished after insert')
      return { inserted: Number(result.numInsertedOrUpdatedRows ?? 0n) === 1, tx: stored }
    },
    async recordAttempt(id, expected, attempt, { rebuild, now, nextAttemptAt }) {
      let query = db
        .updateTable('solana_transactions')
        .set((eb) => ({
          signature: attempt.signature,
          wire: attempt.wire,
          last_valid_block_height: Number(attempt.lastValidBlockHeight),
          rebuilds: rebuild ? eb('rebuilds', '+', 1) : eb.ref('rebuilds'),
          state: 'sent' as const,
          next_attempt_at: nextAttemptAt,
          updated_at: now,
        }))
        .where('id', '=', id)
        .where('state', 'in', ['pending', 'sent'])
      query = expected === null ? query.where('signature', 'is', null) : query.where('signature', '=', expected)
      return Number((await query.executeTakeFirst()).numUpdatedRows) === 1
    },
    async transition(id, from, patch, now) {
      const updated = await db.updateTable('solana_transactions').set({ ...patchColumns(patch), updated_at: now }).where('id', '=', id).where('state', 'in', [...from]).executeTakeFirst()
      return Number(updated.numUpdatedRows) === 1
    },
    async claimDue({ now, limit, leaseMs }) {
      return (await claimDue<Row>(db, dialect, { table: 'solana_transactions', key: ['id'], states: ['pending', 'sent'], now, limit, leaseMs })).map(toTx)
    },
    get,
  }
}
