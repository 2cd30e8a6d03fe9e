/**
 * Pair rows, their extra keys, and the persisted derived public keys of identities. Public data only.
 * Writers run inside the caller's transaction; `lockPair` takes the row lock that serialises edits
 * of one pair (FOR UPDATE on PostgreSQL; SQLite write transactions are already exclusive).
 */
import type { Kysely, Transaction } from 'kysely'
import type { StoreDialect } from './dialect.ts'
import type { Database, PairsTable } from './schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type PairRow = Omit<PairsTable, 'derived_count'> & { derived_count: number }
export type PairWithKeys = { readonly pair: PairRow; readonly keys: string[] }

const INSERT_CHUNK = 1000

export async function findPair(db: Executor, uuid: string): Promise<PairRow | undefined> {
  return db.selectFrom('pairs').selectAll().where('uuid', '=', uuid).executeTakeFirst()
}

/** Reads and locks the pair row for the rest of the transaction. */
export async function lockPair(trx: Transaction<Database>, dialect: StoreDialect, uuid: string): Promise<PairRow | undefined> {
  let query = trx.selectFrom('pairs').selectAll().where('uuid', '=', uuid)
  if (dialect === 'postgres') query = query.forUpdate()
  return query.executeTakeFirst()
}

/** Extra keys of each pair, in the order they were added. */
export async function findPairKeys(db: Executor, uuids: readonly string[]): Promise<Map<string, string[]>> {
  const keys = new Map<string, string[]>(uuids.map((uuid) => [uuid, []]))
  if (uuids.length === 0) return keys
  const rows = await db
    .selectFrom('pair_public_keys')
    .select(['pair_uuid', 'public_key'])
    .where('pair_uuid', 'in', [...uuids])
    .orderBy('pair_uuid')
    .orderBy('position')
    .execute()
  for (const row of rows) keys.get(row.pair_uuid)?.push(row.public_key)
  return keys
}

export type PairKeyRow = { pair_uuid: string; public_key: string; position: number; created_at: string; row_mac?: string | null }

/** Extra-key rows of each pair (with their MACs), in pair and position order. */
export async function findPairKeyRows(db: Executor, uuids: readonly string[]): Promise<PairKeyRow[]> {
  if (uuids.length === 0) return []
  return db
    .selectFrom('pair_public_keys')
    .select(['pair_uuid', 'public_key', 'position', 'created_at', 'row_mac'])
    .where('pair_uuid', 'in', [...uuids])
    .orderBy('pair_uuid')
    .orderBy('position')
    .execute()
}

/** How many extra keys each pair has (pairs without any are absent). */
export async function countPairKeys(db: Executor, uuids: readonly string[]): Promise<Map<string, number>> {
  if (uuids.length === 0) return new Map()
  const rows = await db
    .selectFrom('pair_public_keys')
    .select((eb) => ['pair_uuid', eb.fn.countAll<number | string>().as('n')])
    .where('pair_uuid', 'in', [...uuids])
    .groupBy('pair_uuid')
    .execute()
  return new Map(rows.map((row) => [row.pair_uuid, Number(row.n)]))
}

/** Pairs in uuid order, strictly after `afterUuid`. */
export async function listPairs(db: Executor, options: { afterUuid?: string; limit: number }): Promise<PairRow[]> {
  let query = db.selectFrom('pairs').selectAll().orderBy('uuid').limit(options.limit)
  if (options.afterUuid !== undefined) query = query.where('uuid', '>', options.afterUuid)
  return query.execute()
}

/** Inserts the pair unless its uuid (or, for a local pair, its user) already has one; false then. */
export async function insertPair(trx: Transaction<Database>, row: PairRow): Promise<boolean> {
  const inserted = await trx.insertInto('pairs').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst()
  return inserted.numInsertedOrUpdatedRows === 1n
}

/** Appends keys after the pair's last position; a key the pair already lists is skipped. */
export async function insertPairKeys(trx: Transaction<Database>, uuid: string, keys: readonly string[], now: string, macOf: (row: PairKeyRow) => string): Promise<void> {
  if (keys.length === 0) return
  const last = await trx
    .selectFrom('pair_public_keys')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('pair_uuid', '=', uuid)
    .executeTakeFirst()
  const start = last?.position === null || last?.position === undefined ? 0 : Number(last.position) + 1
  const rows = keys.map((public_key, i) => {
    const row = { pair_uuid: uuid, public_key, position: start + i, created_at: now }
    return { ...row, row_mac: macOf(row) }
  })
  await trx.insertInto('pair_public_keys').values(rows).onConflict((oc) => oc.columns(['pair_uuid', 'public_key']).doNothing()).execute()
}

export async function deletePairKeys(trx: Transaction<Database>, uuid: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return
  await trx.deleteFrom('pair_public_keys').where('pair_uuid', '=', uuid).where('public_key', 'in', [...keys]).execute()
}

export async function touchPair(trx: Transaction<Database>, uuid: string, now: string): Promise<void> {
  await trx.updateTable('pairs').set({ updated_at: now }).where('uuid', '=', uuid).execute()
}

export async function deletePair(trx: Transaction<Database>, uuid: string): Promise<void> {
  await trx.deleteFrom('pair_public_keys').where('pair_uuid', '=', uuid).execute()
  await trx.deleteFrom('pairs').where('uuid', '=', uuid).execute()
}

/**
 * One query: the lowest persisted index of `publicKey` in the user's derived keys (or undefined),
 * and how many derived keys are persisted (rows 0 … coverage − 1).
 */
export async function lookupDerivedKey(db: Executor, userId: string, publicKey: string): Promise<{ index: number | undefined; coverage: number }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('derived_public_keys').select((e) => e.fn.min('idx').as('i')).where('user_id', '=', userId).where('public_key', '=', publicKey).as('hit'),
      eb.selectFrom('derived_public_keys').select((e) => e.fn.max('idx').as('m')).where('user_id', '=', userId).as('top'),
    ])
    .executeTakeFirstOrThrow()
  return { index: row.hit === null ? undefined : Number(row.hit), coverage: row.top === null ? 0 : Number(row.top) + 1 }
}

export async function derivedCoverage(db: Executor, userId: string): Promise<number> {
  const row = await db.selectFrom('derived_public_keys').select((eb) => eb.fn.max('idx').as('m')).where('user_id', '=', userId).executeTakeFirst()
  return row?.m === null || row?.m === undefined ? 0 : Number(row.m) + 1
}

/** derived(from … to − 1) as persisted, in index order (fewer when not that many are persisted), with each row's MAC. */
export async function listDerivedKeyRange(db: Executor, userId: string, from: number, to: number): Promise<DerivedKeyRow[]> {
  if (to <= from) return []
  return db.selectFrom('derived_public_keys').select(['user_id', 'idx', 'public_key', 'row_mac']).where('user_id', '=', userId).where('idx', '>=', from).where('idx', '<', to).orderBy('idx').execute()
}

export type DerivedKeyRow = { user_id: string; idx: number; public_key: string; row_mac?: string | null }

export async function findDerivedKeyRow(db: Executor, userId: string, idx: number): Promise<DerivedKeyRow | undefined> {
  return db.selectFrom('derived_public_keys').select(['user_id', 'idx', 'public_key', 'row_mac']).where('user_id', '=', userId).where('idx', '=', idx).executeTakeFirst()
}

/** Persists derived(from), derived(from + 1), …; rows another writer inserted first are left as they are (same values). */
export async function insertDerivedKeys(trx: Transaction<Database>, userId: string, from: number, keys: readonly string[], macOf: (row: DerivedKeyRow) => string): Promise<void> {
  for (let start = 0; start < keys.length; start += INSERT_CHUNK) {
    const rows = keys.slice(start, start + INSERT_CHUNK).map((public_key, i) => {
      const row = { user_id: userId, idx: from + start + i, public_key }
      return { ...row, row_mac: macOf(row) }
    })
    await trx.insertInto('derived_public_keys').values(rows).onConflict((oc) => oc.columns(['user_id', 'idx']).doNothing()).execute()
  }
}
