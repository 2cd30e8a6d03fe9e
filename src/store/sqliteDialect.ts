/**
 * SQLite through better-sqlite3: WAL (a CLI can work on a vault `coffre serve` has open) and
 * synchronous=FULL (a committed wallet survives power loss). Write transactions start with
 * BEGIN IMMEDIATE so two processes never deadlock upgrading a read lock; the second writer waits
 * (up to `busyTimeoutMs`) instead of failing, asynchronously (sqliteBusyRetry.ts), so a lock held by
 * another process never freezes this one. A full disk, an I/O error or a lock held past the timeout
 * is a typed COFFRE_STORE_FAILED (storeErrors.ts).
 */
import Sqlite from 'better-sqlite3'
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely'
import { BUSY_ATTEMPT_MS, retryWhileBusy } from './sqliteBusyRetry.ts'
import { withStoreErrors } from './storeErrors.ts'

class ImmediateSqliteDriver extends SqliteDriver {
  readonly #database: Sqlite.Database
  readonly #busyTimeoutMs: number
  #connection: DatabaseConnection | undefined
  constructor(database: Sqlite.Database, busyTimeoutMs: number) {
    super({ database })
    this.#database = database
    this.#busyTimeoutMs = busyTimeoutMs
  }
  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection()
    return (this.#connection ??= retryWhileBusy(connection, this.#database, this.#busyTimeoutMs))
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: Sqlite.Database
  readonly #busyTimeoutMs: number
  constructor(database: Sqlite.Database, busyTimeoutMs: number) {
    super({ database })
    this.#database = database
    this.#busyTimeoutMs = busyTimeoutMs
  }
  override createDriver(): Driver {
    const database = this.#database
    // SQLite rolls a transaction back by itself on SQLITE_FULL, IOERR, BUSY and NOMEM.
    return withStoreErrors(new ImmediateSqliteDriver(database, this.#busyTimeoutMs), { isAutoRolledBack: () => !database.inTransaction })
  }
}

export function createSqliteDialect(file: string, options: { busyTimeoutMs?: number } = {}): SqliteDialect {
  const database = new Sqlite(file)
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = FULL')
  database.pragma(`busy_timeout = ${BUSY_ATTEMPT_MS}`)
  database.pragma('foreign_keys = ON')
  return new ImmediateSqliteDialect(database, options.busyTimeoutMs ?? 10_000)
}
