/**
 * SQLite through better-sqlite3: WAL (a CLI can work on a vault `coffre serve` has open) and
 * synchronous=FULL (a committed wallet survives power loss). Write transactions start with
 * BEGIN IMMEDIATE so two processes never deadlock upgrading a read lock; busy_timeout makes the
 * second writer wait instead of failing. A full disk, an I/O error or a lock held past the timeout is a
 * typed COFFRE_STORE_FAILED (storeErrors.ts).
 */
import Sqlite from 'better-sqlite3'
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely'
import { withStoreErrors } from './storeErrors.ts'

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: Sqlite.Database
  constructor(database: Sqlite.Database) {
    super({ database })
    this.#database = database
  }
  override createDriver(): Driver {
    const database = this.#database
    // SQLite rolls a transaction back by itself on SQLITE_FULL, IOERR, BUSY and NOMEM.
    return withStoreErrors(new ImmediateSqliteDriver({ database }), { isAutoRolledBack: () => !database.inTransaction })
  }
}

export function createSqliteDialect(file: string, options: { busyTimeoutMs?: number } = {}): SqliteDialect {
  const database = new Sqlite(file)
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = FULL')
  database.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`)
  database.pragma('foreign_keys = ON')
  return new ImmediateSqliteDialect(database)
}
