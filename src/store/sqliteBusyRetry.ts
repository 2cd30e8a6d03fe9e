/**
 * Waiting for SQLite's write lock without freezing the process. better-sqlite3 is synchronous: with
 * a long `busy_timeout`, a statement waiting for a lock another process holds blocks the whole
 * event loop — every request, /healthz, timers and signal handlers — for up to that long, again for
 * each queued statement. Instead each attempt waits only `attemptMs` inside SQLite, and a busy
 * statement is retried after an asynchronous pause until `totalMs` has passed; then SQLITE_BUSY
 * is thrown as before. Only statements outside a transaction are retried (BEGIN IMMEDIATE itself,
 * autocommit statements): SQLite reports busy before such a statement changes anything.
 */
import type Sqlite from 'better-sqlite3'
import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely'

export const BUSY_ATTEMPT_MS = 25

const isBusy = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_RECOVERY'
}

export function retryWhileBusy(connection: DatabaseConnection, database: Sqlite.Database, totalMs: number): DatabaseConnection {
  return {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      const started = Date.now()
      for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
        try {
          return await connection.executeQuery<R>(query)
        } catch (error) {
          if (!isBusy(error) || database.inTransaction || Date.now() - started >= totalMs) throw error
          await new Promise((resolve) => setTimeout(resolve, pause))
        }
      }
    },
    streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => connection.streamQuery<R>(query, chunkSize),
  }
}
