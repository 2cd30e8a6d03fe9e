import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { CoffreError, errorCodes, redactUrl } from '../src/errors.ts'
import { renderErrorDocs } from '../scripts/gen-error-docs.ts'

test('docs/errors.md documents every error code (regenerate with npx tsx scripts/gen-error-docs.ts)', () => {
  assert.equal(readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8'), renderErrorDocs())
})

test('every code used in the source is in the catalogue', () => {
  const used = new Set(execFileSync('grep', ['-rhoE', "COFFRE_[A-Z0-9_]+", 'src']).toString().split('\n').filter(Boolean))
  const known = new Set(Object.keys(errorCodes))
  const unknown = [...used].filter((code) => !known.has(code) && !/^COFFRE_(MASTER_KEY|DATA_DIR|KEY_FILE|KEY_PROVIDER|PKCS11|KMS|MNEMONIC|NONCE|DEBUG|TEST|LOG|HOST|PORT|REDIS|DATABASE)/.test(code))
  assert.deepEqual(unknown, [])
})

test('errors serialise without stack or cause, and URLs lose their credentials', () => {
  const error = new CoffreError('COFFRE_STORE_FAILED', 'boom', { cause: new Error('secret cause') })
  assert.deepEqual(JSON.parse(JSON.stringify(error)), { code: 'COFFRE_STORE_FAILED', message: 'boom' })
  assert.equal(redactUrl('postgres://user:hunter2@db:5432/x'), 'postgres://***:***@db:5432/x')
  assert.equal(redactUrl('postgres://db/x'), 'postgres://db/x')
})
