import { PostgresAdapter, type Kysely } from 'kysely'

export type StoreDialect = 'sqlite' | 'postgres'

/** The engine behind a Kysely instance (for code handed only the database handle). */
export function dialectOf(db: Kysely<any>): StoreDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}
