/**
 * When the database itself fails — the connection refused, lost or terminated, the server shutting
 * down, the disk full, an I/O error, SQLite still locked after busy_timeout — the caller gets
 * COFFRE_STORE_FAILED (HTTP 503: retry later) instead of a raw driver error that would surface as
 * COFFRE_INTERNAL. Errors that mean a bug or an expected conflict (constraints, syntax) pass
 * through unchanged. The message names the condition and the driver's code, never a query, a
 * value or a URL.
 *
 * `withStoreErrors(driver)` applies this to every query, transaction statement and connection a
 * Kysely driver runs. A SQLite transaction that the engine already rolled back on its own (it does
 * so on SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY, SQLITE_NOMEM) is not rolled back a second time:
 * that second attempt would fail and hide the real cause.
 */
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult, TransactionSettings } from 'kysely'
import { CoffreError } from '../errors.ts'

type DriverError = { code?: unknown; message?: unknown }

/** PostgreSQL SQLSTATE classes and codes that mean the server or the connection failed. */
const POSTGRES_FAILURE = /^(08|53|58)|^57P0[1-4]$|^40001$|^40P01$|^57014$/
const POSTGRES_CONDITION: Readonly<Record<string, string>> = { '53100': 'the database disk is full', '40001': 'a serialization conflict', '40P01': 'a deadlock', '57014': 'the statement was cancelled' }
/** Socket errors from the driver (Node errno codes). */
const SOCKET_FAILURE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
/** node-postgres's own errors, which carry no code. */
const PG_CLIENT_FAILURE = /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect|Query read timeout)/
/** SQLite primary result codes (better-sqlite3 puts the extended code, e.g. SQLITE_IOERR_WRITE). */
const SQLITE_CONDITION: Readonly<Record<string, string>> = {
  SQLITE_FULL: 'the database disk is full',
  SQLITE_IOERR: 'an I/O error',
  SQLITE_BUSY: 'the database is locked by another writer',
  SQLITE_LOCKED: 'the database is locked',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
  SQLITE_NOMEM: 'out of memory',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_NOTADB: 'the file is not a database',
  SQLITE_PROTOCOL: 'a locking protocol error',
}

/** The typed error for a driver error that means the store failed; undefined for any other error. */
export function storeFailure(error: unknown): CoffreError | undefined {
  if (error instanceof CoffreError || typeof error !== 'object' || error === null) return undefined
  const { code, message } = error as DriverError
  const text = typeof message === 'string' ? message : ''
  let condition: string | undefined
  let driverCode: string | undefined
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    const primary = Object.keys(SQLITE_CONDITION).find((c) => code === c || code.startsWith(`${c}_`))
    if (primary !== undefined) [condition, driverCode] = [SQLITE_CONDITION[primary], code]
  } else if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && POSTGRES_FAILURE.test(code)) {
    ;[condition, driverCode] = [POSTGRES_CONDITION[code] ?? 'the database connection failed', code]
  } else if (typeof code === 'string' && SOCKET_FAILURE.has(code)) {
    ;[condition, driverCode] = ['the database is unreachable', code]
  } else if (PG_CLIENT_FAILURE.test(text)) {
    condition = 'the database connection was lost'
  }
  if (condition === undefined) return undefined
  return new CoffreError('COFFRE_STORE_FAILED', `database unavailable: ${condition}${driverCode ? ` (${driverCode})` : ''}; retry later`, {
    details: { retryable: true, ...(driverCode ? { driverCode } : {}) },
    cause: error,
  })
}

const typed = (error: unknown): unknown => storeFailure(error) ?? error

async function mapped<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw typed(error)
  }
}

class TypedErrorConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return mapped(() => this.inner.executeQuery<R>(compiledQuery))
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(compiledQuery, chunkSize)
    } catch (error) {
      throw typed(error)
    }
  }
}

const unwrap = (connection: DatabaseConnection): DatabaseConnection => (connection instanceof TypedErrorConnection ? connection.inner : connection)

/** `driver` with store failures typed (see the file comment). `isAutoRolledBack` tells a SQLite rollback that has nothing left to undo. */
export function withStoreErrors(driver: Driver, options: { isAutoRolledBack?: (error: unknown) => boolean } = {}): Driver {
  const savepoints: Pick<Driver, 'savepoint' | 'rollbackToSavepoint' | 'releaseSavepoint'> = {}
  for (const name of ['savepoint', 'rollbackToSavepoint', 'releaseSavepoint'] as const) {
    const method = driver[name]?.bind(driver)
    if (method !== undefined) savepoints[name] = (connection, savepointName, compileQuery) => mapped(() => method(unwrap(connection), savepointName, compileQuery))
  }
  return {
    ...savepoints,
    init: () => mapped(() => driver.init()),
    acquireConnection: () => mapped(async () => new TypedErrorConnection(await driver.acquireConnection())),
    beginTransaction: (connection: DatabaseConnection, settings: TransactionSettings) => mapped(() => driver.beginTransaction(unwrap(connection), settings)),
    commitTransaction: (connection: DatabaseConnection) => mapped(() => driver.commitTransaction(unwrap(connection))),
    async rollbackTransaction(connection: DatabaseConnection) {
      try {
        await driver.rollbackTransaction(unwrap(connection))
      } catch (error) {
        if (options.isAutoRolledBack?.(error) === true) return
        throw typed(error)
      }
    },
    releaseConnection: (connection: DatabaseConnection) => driver.releaseConnection(unwrap(connection)),
    destroy: () => driver.destroy(),
  }
}
