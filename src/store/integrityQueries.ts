/**
 * Read-only queries `coffre doctor` runs to find what a crash, a bug or a database writer left
 * behind: data keys whose creation is not in the audit trail, generated users without their
 * mnemonic ciphertext, and how many stored secrets name each data key.
 */
import { sql, type Kysely } from 'kysely'
import type { StoreDialect } from './dialect.ts'
import type { Database } from './schema.ts'
import { secretColumns } from './secretColumns.ts'

/** Audit actions that create a data key (subject `data_key:<id>`). */
export const DATA_KEY_CREATION_ACTIONS = ['keys.create-data-key', 'keys.rotate-data-key'] as const

export async function dataKeysWithoutCreationEntry(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('data_keys')
    .select('id')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('audit_log')
            .select('seq')
            .where('action', 'in', [...DATA_KEY_CREATION_ACTIONS])
            .whereRef('audit_log.subject', '=', sql<string>`'data_key:' || data_keys.id`),
        ),
      ),
    )
    .orderBy('created_at')
    .execute()
  return rows.map((r) => r.id)
}

/** Users created with a generated mnemonic whose mnemonic ciphertext is gone (up to `limit`). */
export async function generatedUsersWithoutMnemonic(db: Kysely<Database>, limit: number): Promise<{ id: string; telegramUserId: number }[]> {
  const rows = await db.selectFrom('users').select(['id', 'telegram_user_id']).where('origin', '=', 'generated').where('mnemonic_ciphertext', 'is', null).orderBy('id').limit(limit).execute()
  return rows.map((r) => ({ id: r.id, telegramUserId: Number(r.telegram_user_id) }))
}

/** Stored secrets per data-key id named in their `cf1.<id>.` prefix, over every secret column (one scan each). */
export async function secretsPerDataKey(db: Kysely<Database>, dialect: StoreDialect): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const column of secretColumns) {
    const ref = sql.ref(column.column)
    const keyId = dialect === 'postgres' ? sql`split_part(${ref}, '.', 2)` : sql`substr(${ref}, 5, instr(substr(${ref}, 5), '.') - 1)`
    const { rows } = await sql<{ id: string; n: number | string }>`select ${keyId} as id, count(*) as n from ${sql.table(column.table)} where ${ref} is not null group by 1`.execute(db)
    for (const row of rows) counts.set(row.id, (counts.get(row.id) ?? 0) + Number(row.n))
  }
  return counts
}
