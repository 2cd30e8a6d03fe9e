/**
 * `coffre users backup create|restore|list` through the CLI command tree, with the S3 bucket given
 * by --backup-s3-* flags (moto S3): a passphrase-sealed share 3 written with --out, a restore from
 * it and S3 alone, a check with --verify-only, and refusals exiting non-zero with the share error's code.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { coffreInProcess } from '../support/cliInProcess.ts'
import { startLocalS3, type LocalS3 } from '../support/s3.ts'

const BUCKET = 'coffre-cli-backups'
let s3: LocalS3
let dir: string
const saved = { ...process.env }

before(async () => {
  s3 = await startLocalS3()
  await s3.createBucket(BUCKET, { objectLock: true })
  dir = mkdtempSync(join(tmpdir(), 'coffre-user-backup-cli-'))
  // The S3 client takes credentials from the AWS SDK's default chain (the environment here).
  process.env.AWS_ACCESS_KEY_ID = s3.credentials.accessKeyId
  process.env.AWS_SECRET_ACCESS_KEY = s3.credentials.secretAccessKey
})
after(async () => {
  process.env = saved
  rmSync(dir, { recursive: true, force: true })
  await s3?.stop()
})

const env = { COFFRE_MASTER_KEY: undefined, DATABASE_URL: undefined }
const coffre = (args: string[]) =>
  coffreInProcess(['--data-dir', join(dir, 'vault'), '--backup-s3-bucket', BUCKET, '--backup-s3-endpoint', s3.endpoint, '--backup-s3-region', s3.region, '--backup-s3-retention-days', '1', ...args, '--json'], env)

test('users backup create (passphrase, --out), restore from share 3 and S3, verify-only, list, and named refusals', async () => {
  assert.equal((await coffre(['init'])).code, 0)
  const user = (await coffre(['users', 'create', '--telegram-id', '77'])).json
  const passphraseFile = join(dir, 'passphrase')
  writeFileSync(passphraseFile, 'correct horse battery staple\n', { mode: 0o600 })
  const sealedFile = join(dir, 'share3.json')
  const created = await coffre(['users', 'backup', 'create', '--telegram-id', '77', '--passphrase-file', passphraseFile, '--out', sealedFile])
  assert.equal(created.code, 0, created.stderr)
  assert.equal(created.json.sealedUserShare.format, 'coffre-share-scrypt-v1')
  assert.equal(created.json.objectShare.bucket, BUCKET)
  assert.equal(statSync(sealedFile).mode & 0o777, 0o600)

  const restored = await coffre(['users', 'backup', 'restore', '--telegram-id', '77', '--passphrase-share-file', sealedFile, '--passphrase-file', passphraseFile, '--no-vault-share'])
  assert.equal(restored.code, 0, restored.stderr)
  assert.deepEqual(restored.json.sharesUsed, [{ index: 3, source: 'passphrase' }, { index: 2, source: 'object-storage' }])
  assert.equal(restored.json.polygonAddress, user.polygonAddress)
  assert.equal(restored.json.restored, true)

  const verified = await coffre(['users', 'backup', 'restore', '--id', user.id, '--verify-only'])
  assert.equal(verified.code, 0, verified.stderr)
  assert.equal(verified.json.restored, false)

  const tooFew = await coffre(['users', 'backup', 'restore', '--id', user.id, '--no-vault-share', '--no-object-share'])
  assert.equal(tooFew.code, 1)
  assert.match(tooFew.stderr, /COFFRE_SHARES_TOO_FEW/)
  const shareFile = join(dir, 'bad-share')
  writeFileSync(shareFile, 'cfus1.AAAA\n')
  const malformed = await coffre(['users', 'backup', 'restore', '--id', user.id, '--share-file', shareFile])
  assert.match(malformed.stderr, /COFFRE_SHARE_MALFORMED/)
  const both = await coffre(['users', 'backup', 'create', '--id', user.id])
  assert.match(both.stderr, /COFFRE_INVALID_INPUT/)

  const listed = await coffre(['users', 'backup', 'list', '--id', user.id])
  assert.deepEqual(listed.json.backups.map((b: { backupId: string }) => b.backupId), [created.json.backupId])
})
