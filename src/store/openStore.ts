/**
 * Opens the database (SQLite file or PostgreSQL URL) and brings its schema up to date.
 * Refuses a database whose schema is newer than this build knows.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { Kysely, Migrator, type Dialect, type MigrationProvider } from 'kysely'
import { CoffreError, redactUrl } from '../errors.ts'
import type { StoreDialect } from './dialect.ts'
import { migrations } from './migrations/all.ts'
import { createPostgresDialect } from './postgresDialect.ts'
import type { Database } from './schema.ts'
import { createSqliteDialect } from './sqliteDialect.ts'
import { guardDialect, guardTransactions } from './transactionGuard.ts'

/**
 * `strictTransactions`: a query sent on the database handle from inside an open transaction fails
 * with COFFRE_TRANSACTION_BYPASS instead of waiting (transactionGuard.ts). The test suite turns it
 * on; the CLI reads COFFRE_STRICT_TRANSACTIONS=1.
 */
export type StoreConfig =
  | { readonly kind: 'sqlite'; readonly dataDir: string; readonly file?: string; readonly strictTransactions?: boolean }
  | { readonly kind: 'postgres'; readonly url: string; readonly maxConnections?: number; readonly strictTransactions?: boolean }

export type Store = {
  readonly db: Kysely<Database>
  readonly dialect: StoreDialect
  /** Human description without credentials, for `doctor` and logs. */
  readonly location: string
  close(): Promise<void>
}

const provider: MigrationProvider = { getMigrations: async () => ({ ...migrations }) }

export async function openStore(config: StoreConfig, options: { migrate?: boolean } = {}): Promise<Store> {
  const { db, dialect, location } = connect(config)
  try {
    if (options.migrate !== false) await migrateToLatest(db)
    return { db, dialect, location, close: () => db.destroy() }
  } catch (error) {
    await db.destroy()
    throw error
  }
}

function connect(config: StoreConfig): Omit<Store, 'close'> {
  if (config.kind === 'sqlite') {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
    const file = config.file ?? join(config.dataDir, 'coffre.db')
    try {
      return { db: kysely(createSqliteDialect(file), config.strictTransactions === true), dialect: 'sqlite', location: `sqlite:${file}` }
    } catch (cause) {
      throw new CoffreError('COFFRE_STORE_FAILED', `cannot open SQLite database ${file}`, { cause })
    }
  }
  const dialect = createPostgresDialect(config.url, config.maxConnections === undefined ? {} : { maxConnections: config.maxConnections })
  return { db: kysely(dialect, config.strictTransactions === true), dialect: 'postgres', location: redactUrl(config.url) }
}

function kysely(dialect: Dialect, strict: boolean): Kysely<Database> {
  if (!strict) return new Kysely<Database>({ dialect })
  const database = Symbol('coffre-store')
  const db = new Kysely<Database>({ dialect: guardDialect(dialect, database) })
  guardTransactions(db, database)
  return db
}

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider })
  let result
  try {
    result = await migrator.migrateToLatest()
  } catch (cause) {
    throw new CoffreError('COFFRE_STORE_FAILED', `database unreachable: ${describe(cause)}`, { cause })
  }
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new CoffreError('COFFRE_MIGRATION_FAILED', `migration ${failed} failed: ${describe(result.error)}`, { cause: result.error })
  }
}

/** Pending and unknown migrations, for `coffre doctor`. */
export async function migrationStatus(db: Kysely<Database>): Promise<{ pending: string[]; unknown: string[] }> {
  const list = await new Migrator({ db, provider }).getMigrations()
  const known = new Set(Object.keys(migrations))
  return {
    pending: list.filter((m) => m.executedAt === undefined).map((m) => m.name),
    unknown: list.filter((m) => !known.has(m.name)).map((m) => m.name),
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/postgres(ql)?:\/\/[^\s]+/g, (url) => redactUrl(url))
}
