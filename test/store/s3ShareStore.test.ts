/**
 * Backup shares in moto's S3 server. What moto enforces of object lock (checked here): a locked
 * version cannot be deleted (AccessDenied, even with BypassGovernanceRetention in COMPLIANCE mode),
 * a PUT to the same key only adds a version, If-None-Match is honoured (412), and a bucket without
 * object lock refuses a locked PUT. What moto does NOT enforce (seen while writing this): shortening
 * a COMPLIANCE retention with PutObjectRetention is accepted (real S3 refuses it), and retention
 * never expires on its own schedule in a test run — so "until retention ends" is only the real
 * service's promise, not tested here.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { isCoffreError } from '../../src/errors.ts'
import { refusalCode as codeOf } from '../support/refusal.ts'
import { splitUserEntropy } from '../../src/recovery/shares/splitUserEntropy.ts'
import { combineUserShares } from '../../src/recovery/shares/combineUserShares.ts'
import { createS3ShareStore } from '../../src/store/s3ShareStore.ts'
import { startLocalS3, type LocalS3 } from '../support/s3.ts'


describe('backup shares in S3 (moto)', () => {
  let s3: LocalS3
  const clock = Date.parse('2026-06-01T00:00:00Z')
  before(async () => {
    s3 = await startLocalS3()
    await s3.createBucket('coffre-locked', { objectLock: true })
    await s3.createBucket('coffre-plain')
  })
  after(async () => {
    await s3?.stop()
  })

  test('a share stored in a locked bucket is COMPLIANCE-locked, reads back, and restores with another share', async () => {
    const store = createS3ShareStore({ client: s3.client, bucket: 'coffre-locked', retentionDays: 30, now: () => clock })
    assert.equal(await store.objectLockEnabled(), true)
    const entropy = new Uint8Array(randomBytes(16))
    const split = await splitUserEntropy(entropy, { context: 'v:u' })
    const ref = { backupId: split.backupId, index: 2 }
    const stored = await store.put(ref, split.shares[1]!)
    assert.equal(stored.key, `coffre/backups/${split.backupId}/share-2.cfus`)
    assert.equal(stored.lockedUntil, '2026-07-01T00:00:00.000Z')
    assert.ok(stored.versionId)
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: 'coffre-locked', Key: stored.key }))
    assert.deepEqual([head.ObjectLockMode, head.ObjectLockRetainUntilDate?.toISOString()], ['COMPLIANCE', '2026-07-01T00:00:00.000Z'])
    const restored = await combineUserShares([split.shares[0]!, await store.get(ref)], { context: 'v:u' })
    assert.deepEqual(restored.entropy, entropy)
  })

  test('a locked share can be neither replaced nor deleted: Coffre refuses to overwrite, a raw overwrite only adds a version, deletes are denied', async () => {
    const store = createS3ShareStore({ client: s3.client, bucket: 'coffre-locked', now: () => clock })
    const split = await splitUserEntropy(new Uint8Array(randomBytes(32)), { context: 'v:u' })
    const ref = { backupId: split.backupId, index: 2 }
    const stored = await store.put(ref, split.shares[1]!)
    assert.equal(await codeOf(store.put(ref, split.shares[2]!)), 'COFFRE_CONFLICT')

    // An attacker holding the bucket's credentials, going around Coffre:
    await s3.client.send(new PutObjectCommand({ Bucket: 'coffre-locked', Key: stored.key, Body: split.shares[2]! }))
    await assert.rejects(s3.client.send(new DeleteObjectCommand({ Bucket: 'coffre-locked', Key: stored.key, VersionId: stored.versionId! })), { name: 'AccessDenied' })
    await assert.rejects(s3.client.send(new DeleteObjectCommand({ Bucket: 'coffre-locked', Key: stored.key, VersionId: stored.versionId!, BypassGovernanceRetention: true })), { name: 'AccessDenied' })
    await s3.client.send(new DeleteObjectCommand({ Bucket: 'coffre-locked', Key: stored.key })) // only a delete marker
    assert.deepEqual(await store.get(ref, { versionId: stored.versionId! }), split.shares[1])
    assert.equal(await codeOf(store.get(ref)), 'COFFRE_NOT_FOUND', 'the latest version is the delete marker')
  })

  test('a bucket without object lock stores unlocked, or refuses when lock is required; missing shares and buckets are named', async () => {
    const split = await splitUserEntropy(new Uint8Array(randomBytes(16)), { context: 'v:u' })
    const strict = createS3ShareStore({ client: s3.client, bucket: 'coffre-plain', requireObjectLock: true })
    assert.equal(await codeOf(strict.put({ backupId: split.backupId, index: 1 }, split.shares[0]!)), 'COFFRE_INVALID_CONFIG')
    const plain = createS3ShareStore({ client: s3.client, bucket: 'coffre-plain', prefix: 'vault-a/' })
    assert.equal(await codeOf(plain.get({ backupId: split.backupId, index: 1 })), 'COFFRE_NOT_FOUND', 'the strict store wrote nothing')
    const stored = await plain.put({ backupId: split.backupId, index: 1 }, split.shares[0]!)
    assert.deepEqual([stored.lockedUntil, stored.key.startsWith('vault-a/backups/')], [null, true])
    assert.equal(await codeOf(plain.put({ backupId: split.backupId, index: 1 }, split.shares[0]!)), 'COFFRE_CONFLICT')
    const missing = createS3ShareStore({ client: s3.client, bucket: 'no-such-bucket' })
    assert.equal(await codeOf(missing.get({ backupId: split.backupId, index: 1 })), 'COFFRE_INVALID_CONFIG')
    assert.equal(await codeOf(plain.get({ backupId: 'not-a-uuid', index: 1 })), 'COFFRE_INVALID_INPUT')
  })

  test('an unreachable object store is COFFRE_UPSTREAM_FAILED, with no endpoint or credential in the message', async () => {
    const client = new S3Client({ endpoint: 'http://user:hunter2@127.0.0.1:1', region: s3.region, credentials: s3.credentials, forcePathStyle: true, maxAttempts: 1 })
    const store = createS3ShareStore({ client, bucket: 'coffre-plain' })
    try {
      await store.put({ backupId: '0193a0b0-0000-7000-8000-000000000001', index: 1 }, new Uint8Array(67))
      assert.fail('expected a refusal')
    } catch (error) {
      assert.ok(isCoffreError(error))
      assert.equal(error.code, 'COFFRE_UPSTREAM_FAILED')
      assert.doesNotMatch(JSON.stringify(error), /hunter2|127\.0\.0\.1/)
    } finally {
      client.destroy()
    }
  })
})
