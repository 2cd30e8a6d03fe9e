/**
 * SQLite's write lock held by another process: this process waits for it without freezing its
 * event loop (timers, other requests and signal handlers keep running), gets the lock once it is
 * free, and gives up after the busy timeout with a typed COFFRE_STORE_FAILED caused by SQLITE_BUSY.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import Sqlite from 'better-sqlite3'
import { Kysely } from 'kysely'
import { openStore } from '../../src/store/openStore.ts'
import type { Database } from '../../src/store/schema.ts'
import { createSqliteDialect } from '../../src/store/sqliteDialect.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test('a writer waits for a lock held elsewhere without blocking the event loop, then writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffre-busy-'))
  const store = await openStore({ kind: 'sqlite', dataDir: dir })
  const other = new Sqlite(join(dir, 'coffre.db'))
  try {
    other.exec('BEGIN IMMEDIATE')
    let settled = false
    const write = store.db.insertInto('coffre_meta').values({ key: 'busy-test', value: '1' }).execute().finally(() => (settled = true))
    // This timer fires while the write still waits: the wait does not hold the event loop. (A
    // synchronous wait would hold it for the whole busy timeout, and the write would have failed
    // with SQLITE_BUSY before the timer could run.)
    await sleep(600)
    assert.equal(settled, false, 'the write is still waiting for the lock when a timer runs')
    other.exec('ROLLBACK')
    await write
    assert.equal((await store.db.selectFrom('coffre_meta').select('value').where('key', '=', 'busy-test').executeTakeFirst())?.value, '1')
  } finally {
    other.close()
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('past the busy timeout the write fails with a typed store failure (SQLITE_BUSY) and changes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffre-busy-'))
  const store = await openStore({ kind: 'sqlite', dataDir: dir })
  await store.close()
  const db = new Kysely<Database>({ dialect: createSqliteDialect(join(dir, 'coffre.db'), { busyTimeoutMs: 300 }) })
  const other = new Sqlite(join(dir, 'coffre.db'))
  try {
    other.exec('BEGIN IMMEDIATE')
    await assert.rejects(db.transaction().execute((trx) => trx.insertInto('coffre_meta').values({ key: 'never', value: '1' }).execute()), (error: { code?: string; details?: { driverCode?: string; retryable?: boolean } }) => error.code === 'COFFRE_STORE_FAILED' && error.details?.driverCode === 'SQLITE_BUSY' && error.details.retryable === true)
    other.exec('ROLLBACK')
    assert.equal(await db.selectFrom('coffre_meta').select('value').where('key', '=', 'never').executeTakeFirst(), undefined)
    await db.insertInto('coffre_meta').values({ key: 'after', value: '1' }).execute()
  } finally {
    other.close()
    await db.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
})
