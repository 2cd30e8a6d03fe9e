/** The wallet addresses the deposit watcher scans, with their users. */
import type { Kysely } from 'kysely'
import type { Database } from '../schema.ts'

export type WatchedWallet = Readonly<{ userId: string; address: string }>

export async function listWalletAddresses(db: Kysely<Database>, chain: 'polygon' | 'solana'): Promise<WatchedWallet[]> {
  const rows = await db.selectFrom('wallets').select(['user_id', 'address']).where('chain', '=', chain).orderBy('user_id').execute()
  return rows.map((row) => ({ userId: row.user_id, address: row.address }))
}
