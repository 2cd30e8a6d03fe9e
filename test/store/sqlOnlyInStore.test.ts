/** No SQL outside src/store: query builders and raw `sql` appear only in the store layer (docs/architecture.md). */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))
const SQL = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(<[^>]*>)?`|\bsql\.(raw|ref|table|join|lit|id)\(/

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sources(path)
    else if (entry.name.endsWith('.ts')) yield path
  }
}

test('every query lives in src/store', () => {
  const outside: string[] = []
  for (const file of sources(SRC)) {
    const name = relative(SRC, file)
    if (name.startsWith('store/')) continue
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (SQL.test(line)) outside.push(`src/${name}:${i + 1}: ${line.trim().slice(0, 100)}`)
    })
  }
  assert.deepEqual(outside, [])
})

test('the scan recognises a query (it would fail on one)', () => {
  assert.ok(SQL.test("await db.selectFrom('users').selectAll().execute()"))
  assert.ok(SQL.test('await sql`select 1`.execute(db)'))
})
