/**
 * SQLite's write lock held by another process: this process waits for it without freezing its
 * event loop (timers, other requests and signal handlers keep running), gets the lock once it is
 * free, and gives up with SQLITE_BUSY after the busy timeout, as before.
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
    let ticks = 0
    const ticker = setInterval(() => (ticks += 1), 10)
    let settled = false
    const write = store.db.insertInto('coffre_meta').values({ key: 'busy-test', value: '1' }).execute().finally(() => (settled = true))
    await sleep(600)
    clearInterval(ticker)
    assert.equal(settled, false, 'the write waits for the lock')
    assert.ok(ticks >= 20, `timers kept firing while it waited (${ticks} ticks in 600 ms)`)
    other.exec('ROLLBACK')
    await write
    assert.equal((await store.db.selectFrom('coffre_meta').select('value').where('key', '=', 'busy-test').executeTakeFirst())?.value, '1')
  } finally {
    other.close()
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('past the busy timeout the write fails with SQLITE_BUSY and changes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffre-busy-'))
  const store = await openStore({ kind: 'sqlite', dataDir: dir })
  await store.close()
  const db = new Kysely<Database>({ dialect: createSqliteDialect(join(dir, 'coffre.db'), { busyTimeoutMs: 300 }) })
  const other = new Sqlite(join(dir, 'coffre.db'))
  try {
    other.exec('BEGIN IMMEDIATE')
    await assert.rejects(db.transaction().execute((trx) => trx.insertInto('coffre_meta').values({ key: 'never', value: '1' }).execute()), { code: 'SQLITE_BUSY' })
    other.exec('ROLLBACK')
    assert.equal(await db.selectFrom('coffre_meta').select('value').where('key', '=', 'never').executeTakeFirst(), undefined)
    await db.insertInto('coffre_meta').values({ key: 'after', value: '1' }).execute()
  } finally {
    other.close()
    await db.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
})
