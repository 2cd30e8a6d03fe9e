/**
 * Store failures are typed (COFFRE_STORE_FAILED, retryable) on real engines — PostgreSQL refused,
 * a connection terminated mid-transaction (without crashing the process), SQLite locked past its
 * busy timeout — while a constraint violation still reaches the caller as the driver's own error.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import Sqlite from 'better-sqlite3'
import { Kysely, sql } from 'kysely'
import pg from 'pg'
import { isCoffreError } from '../../src/errors.ts'
import { openStore, type Store } from '../../src/store/openStore.ts'
import type { Database } from '../../src/store/schema.ts'
import { createSqliteDialect } from '../../src/store/sqliteDialect.ts'
import { createTestStore, type TestStore } from '../support/engines.ts'
import { freePort } from '../support/freePort.ts'

const storeFailed = (error: unknown) => isCoffreError(error) && error.code === 'COFFRE_STORE_FAILED' && error.details?.retryable === true

describe('typed store failures on PostgreSQL', () => {
  let test_: TestStore
  let store: Store
  before(async () => {
    test_ = await createTestStore('postgres')
    store = await openStore(test_.config)
  })
  after(async () => {
    await store?.close()
    await test_?.cleanup()
  })

  test('a server that refuses connections: COFFRE_STORE_FAILED naming ECONNREFUSED', async () => {
    const refused = await openStore({ kind: 'postgres', url: `postgres://postgres@127.0.0.1:${await freePort()}/none` }, { migrate: false })
    try {
      await assert.rejects(sql`select 1`.execute(refused.db), (e) => storeFailed(e) && (e as { details: { driverCode?: string } }).details.driverCode === 'ECONNREFUSED')
    } finally {
      await refused.close()
    }
  })

  test('a connection terminated inside a transaction: the transaction fails typed, the process lives, the next query works', async () => {
    const admin = new pg.Client({ connectionString: (test_.config as { url: string }).url })
    await admin.connect()
    const uncaught: unknown[] = []
    const monitor = (error: unknown) => uncaught.push(error)
    process.on('uncaughtExceptionMonitor', monitor)
    try {
      await assert.rejects(
        store.db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)
          await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid])
          // The client is idle between two statements of the transaction when the server drops it.
          await new Promise((r) => setTimeout(r, 100))
          await trx.insertInto('coffre_meta').values({ key: 'half-written', value: 'x' }).execute()
        }),
        storeFailed,
      )
      assert.equal((await sql<{ n: number }>`select 1 as n`.execute(store.db)).rows[0]!.n, 1)
      assert.equal(await store.db.selectFrom('coffre_meta').select('key').where('key', '=', 'half-written').executeTakeFirst(), undefined)
      assert.deepEqual(uncaught, [], 'no unhandled error event (in coffre serve it would end the process)')
    } finally {
      process.off('uncaughtExceptionMonitor', monitor)
      await admin.end()
    }
  })

  test('a constraint violation is not a store failure', async () => {
    await store.db.insertInto('coffre_meta').values({ key: 'once', value: 'a' }).execute()
    await assert.rejects(store.db.insertInto('coffre_meta').values({ key: 'once', value: 'b' }).execute(), (e) => !isCoffreError(e))
  })
})

describe('typed store failures on SQLite', () => {
  let test_: TestStore
  before(async () => {
    test_ = await createTestStore('sqlite')
    await (await openStore(test_.config)).close()
  })
  after(async () => test_?.cleanup())

  test('a write still locked out after busy_timeout: COFFRE_STORE_FAILED (SQLITE_BUSY), and the writer is usable afterwards', async () => {
    const file = join(test_.dir, 'coffre.db')
    const holder = new Sqlite(file)
    const db = new Kysely<Database>({ dialect: createSqliteDialect(file, { busyTimeoutMs: 50 }) })
    try {
      holder.exec('begin immediate')
      await assert.rejects(
        db.transaction().execute((trx) => trx.insertInto('coffre_meta').values({ key: 'busy', value: 'x' }).execute()),
        (e) => storeFailed(e) && /SQLITE_BUSY/.test((e as Error).message),
      )
      holder.exec('rollback')
      await db.insertInto('coffre_meta').values({ key: 'after', value: 'x' }).execute()
      await assert.rejects(db.insertInto('coffre_meta').values({ key: 'after', value: 'y' }).execute(), (e) => !isCoffreError(e))
    } finally {
      holder.close()
      await db.destroy()
    }
  })
})
