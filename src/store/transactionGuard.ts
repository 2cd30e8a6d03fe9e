/**
 * A tripwire for one class of hang: a query sent on the database handle instead of the open
 * transaction's handle, from inside that transaction. On SQLite (one connection) such a query
 * waits for ever for the connection its own transaction holds; on PostgreSQL it runs outside the
 * transaction (another snapshot, another pool connection — a pool of N deadlocks under N such
 * transactions). With `strictTransactions` (the test suite turns it on) it fails at once with
 * COFFRE_TRANSACTION_BYPASS instead.
 *
 * How: every `db.transaction().execute(fn)` runs `fn` in an AsyncLocalStorage scope that names
 * the database, and the driver refuses to hand out a connection to a caller inside an open scope
 * of the same database. A concurrent, unrelated caller (another request) is outside the scope and
 * simply waits its turn, as before.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { DatabaseConnection, Dialect, Driver, Kysely, TransactionBuilder, TransactionSettings } from 'kysely'
import { CoffreError } from '../errors.ts'

type OpenTransaction = { readonly database: symbol; open: boolean; readonly outer: OpenTransaction | undefined }

let scope: AsyncLocalStorage<OpenTransaction> | undefined
const transactions = () => (scope ??= new AsyncLocalStorage<OpenTransaction>())

function insideOpenTransaction(database: symbol): boolean {
  for (let t = scope?.getStore(); t !== undefined; t = t.outer) if (t.open && t.database === database) return true
  return false
}

/** The dialect, with a driver that refuses connections to callers inside an open transaction of `database`. */
export function guardDialect(dialect: Dialect, database: symbol): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new GuardedDriver(dialect.createDriver(), database),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  }
}

/** Makes every transaction of `db` run its callback inside a scope naming `database`. */
export function guardTransactions<DB>(db: Kysely<DB>, database: symbol): void {
  const transaction = db.transaction.bind(db)
  db.transaction = () => guardBuilder(transaction(), database)
}

function guardBuilder<DB>(builder: TransactionBuilder<DB>, database: symbol): TransactionBuilder<DB> {
  const execute = builder.execute.bind(builder)
  const setIsolationLevel = builder.setIsolationLevel.bind(builder)
  const setAccessMode = builder.setAccessMode.bind(builder)
  builder.execute = (callback) =>
    execute(async (trx) => {
      const marker: OpenTransaction = { database, open: true, outer: scope?.getStore() }
      try {
        return await transactions().run(marker, () => callback(trx))
      } finally {
        marker.open = false
      }
    })
  builder.setIsolationLevel = (level) => guardBuilder(setIsolationLevel(level), database)
  builder.setAccessMode = (mode) => guardBuilder(setAccessMode(mode), database)
  return builder
}

class GuardedDriver implements Driver {
  readonly #inner: Driver
  readonly #database: symbol

  constructor(inner: Driver, database: symbol) {
    this.#inner = inner
    this.#database = database
  }

  init(): Promise<void> {
    return this.#inner.init()
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (insideOpenTransaction(this.#database)) {
      throw new CoffreError('COFFRE_TRANSACTION_BYPASS', 'a query was sent on the database handle from inside an open transaction; send it through the transaction, or load what it needs before the transaction opens')
    }
    return this.#inner.acquireConnection()
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings)
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection)
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection)
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(connection)
  }

  destroy(): Promise<void> {
    return this.#inner.destroy()
  }
}
