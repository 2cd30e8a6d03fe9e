/** The cheapest round trip to the database (`select 1`), for doctor and the health monitor's store probe. */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from './schema.ts'

export async function pingStore(db: Kysely<Database> | Transaction<Database>): Promise<void> {
  await sql`select 1`.execute(db)
}
