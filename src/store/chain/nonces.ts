/**
 * Hands out the next nonce of (chain, address) inside the caller's transaction: one UPSERT …
 * RETURNING that takes max(stored next nonce, the chain's pending count) and stores it + 1.
 * PostgreSQL's row lock serialises concurrent callers across processes; SQLite write
 * transactions are exclusive already. Rolled back with the caller's transaction, a nonce is
 * never skipped.
 */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { StoreDialect } from '../dialect.ts'
import type { Database } from '../schema.ts'

export async function allocateNonce(trx: Transaction<Database>, dialect: StoreDialect, args: { chainId: number; address: string; chainPendingNonce: number; at: string }): Promise<number> {
  const greatest = dialect === 'postgres' ? sql`greatest` : sql`max`
  const address = args.address.toLowerCase()
  const { rows } = await sql<{ next_nonce: number | string }>`
    insert into chain_nonces (chain_id, address, next_nonce, updated_at)
    values (${args.chainId}, ${address}, ${args.chainPendingNonce + 1}, ${args.at})
    on conflict (chain_id, address) do update
      set next_nonce = ${greatest}(chain_nonces.next_nonce, excluded.next_nonce - 1) + 1, updated_at = excluded.updated_at
    returning next_nonce`.execute(trx)
  const next = Number(rows[0]?.next_nonce)
  if (!Number.isSafeInteger(next) || next < 1) throw new Error('nonce allocation returned no row')
  return next - 1
}

/** The stored next nonce, or undefined when this address never sent through Coffre. */
export async function storedNextNonce(db: Kysely<Database>, chainId: number, address: string): Promise<number | undefined> {
  const row = await db.selectFrom('chain_nonces').select('next_nonce').where('chain_id', '=', chainId).where('address', '=', address.toLowerCase()).executeTakeFirst()
  return row === undefined ? undefined : Number(row.next_nonce)
}
