/**
 * Root-key providers load only when chosen: a CLI start with a local key file never loads pkcs11js
 * or the AWS SDK (every module the process resolves is recorded by a resolve hook), while one
 * configured for aws-kms does (the control that shows the recording sees them).
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, test } from 'node:test'

const BIN = fileURLToPath(new URL('../../bin/coffre.js', import.meta.url))
const RECORDER = fileURLToPath(new URL('./support/recordImports.mjs', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'coffre-lazy-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function resolvedModules(name: string, args: readonly string[]): { modules: string[]; status: number | null; stderr: string } {
  const record = join(dir, `${name}.imports`)
  const env = { ...process.env, COFFRE_RECORD_IMPORTS: record, COFFRE_MASTER_KEY: undefined, COFFRE_KEY_PROVIDER: undefined }
  const run = spawnSync(process.execPath, ['--import', RECORDER, BIN, '--data-dir', join(dir, 'vault'), ...args], { env, encoding: 'utf8', timeout: 120_000 })
  let text = ''
  try {
    text = readFileSync(record, 'utf8')
  } catch {}
  return { modules: text.split('\n').filter(Boolean), status: run.status, stderr: run.stderr }
}

const heavy = (modules: readonly string[]) => modules.filter((url) => /\/node_modules\/(pkcs11js|@aws-sdk\/client-kms)\//.test(url))

test('a local-key CLI start loads neither pkcs11js nor the AWS SDK', () => {
  const init = resolvedModules('init', ['init', '--json'])
  assert.equal(init.status, 0, init.stderr)
  const create = resolvedModules('create', ['users', 'create', '--telegram-id', '7', '--json'])
  assert.equal(create.status, 0, create.stderr)
  assert.ok(create.modules.some((url) => url.includes('/node_modules/better-sqlite3/') || url.includes('/node_modules/kysely/')), 'the recording sees the modules the command loads')
  assert.deepEqual(heavy([...init.modules, ...create.modules]), [])
})

test('an aws-kms configuration loads the AWS SDK (the recording would see it)', () => {
  const run = resolvedModules('kms', ['--key-provider', 'aws-kms', '--kms-key-id', 'alias/none', '--kms-region', 'us-east-1', '--kms-endpoint', 'http://127.0.0.1:9', 'keys', 'list', '--json'])
  assert.notEqual(run.status, 0, 'no KMS answers on port 9')
  assert.ok(heavy(run.modules).some((url) => url.includes('@aws-sdk/client-kms')), 'the AWS SDK was loaded for the aws-kms provider')
})
