import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { CoffreError, errorCodes, redactUrl } from '../src/errors.ts'
import { renderErrorDocs } from '../scripts/gen-error-docs.ts'

test('docs/errors.md documents every error code (regenerate with npx tsx scripts/gen-error-docs.ts)', () => {
  assert.equal(readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8'), renderErrorDocs())
})

test('every error code used in the source is in the catalogue', () => {
  // Error codes are always quoted string literals; environment variable names are not.
  const used = new Set(execFileSync('grep', ['-rhoE', "'COFFRE_[A-Z0-9_]+'", 'src']).toString().split('\n').filter(Boolean).map((q) => q.slice(1, -1)))
  const known = new Set(Object.keys(errorCodes))
  assert.deepEqual([...used].filter((code) => !known.has(code)), [])
  assert.ok(used.size >= 10)
})

test('errors serialise without stack or cause, and URLs lose their credentials', () => {
  const error = new CoffreError('COFFRE_STORE_FAILED', 'boom', { cause: new Error('secret cause') })
  assert.deepEqual(JSON.parse(JSON.stringify(error)), { code: 'COFFRE_STORE_FAILED', message: 'boom' })
  assert.equal(redactUrl('postgres://user:hunter2@db:5432/x'), 'postgres://***:***@db:5432/x')
  assert.equal(redactUrl('postgres://db/x'), 'postgres://db/x')
})
