/**
 * Backup shares in S3-compatible object storage (share 2 of a user backup by default): one
 * write-once object per share, `<prefix>backups/<backupId>/share-<index>.cfus`, with
 * - `If-None-Match: *`, so an existing share is never overwritten by Coffre (COFFRE_CONFLICT);
 * - a SHA-256 checksum S3 verifies on upload and Coffre verifies on download;
 * - object lock in COMPLIANCE mode until now + retentionDays when the bucket has object lock
 *   enabled (created with ObjectLockEnabledForBucket): that version can then be neither deleted
 *   nor overwritten by anyone, the bucket owner included, until the date passes. A later PUT of
 *   the same key only adds a version; `get` with the recorded versionId still reads the original.
 *   Without object lock the share is stored unlocked (`lockedUntil: null`), or refused with
 *   `requireObjectLock`.
 * Keys carry the backup id only (no user id or telegram id): bucket listings reveal no users.
 * The S3 client is built at the edge and injected; nothing here reads the environment.
 */
import { createHash } from 'node:crypto'
import { GetObjectCommand, GetObjectLockConfigurationCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { CoffreError, invalidInput } from '../errors.ts'
import { UUID_PATTERN } from '../ids.ts'

export type ShareObjectRef = { readonly backupId: string; readonly index: number }

export type StoredShareObject = {
  readonly key: string
  readonly versionId: string | null
  /** ISO instant until which the object is locked (COMPLIANCE), or null when the bucket has no object lock. */
  readonly lockedUntil: string | null
  readonly sha256: string
}

export type S3ShareStoreOptions = {
  readonly client: S3Client
  readonly bucket: string
  /** Key prefix, default "coffre/". */
  readonly prefix?: string
  /** Days a share stays locked (default 3650). */
  readonly retentionDays?: number
  /** Refuse to write when the bucket has no object lock (default false: store unlocked). */
  readonly requireObjectLock?: boolean
  /** Milliseconds since the epoch (an injected clock for the retention date). */
  readonly now?: () => number
}

export interface S3ShareStore {
  put(ref: ShareObjectRef, share: Uint8Array): Promise<StoredShareObject>
  get(ref: ShareObjectRef, options?: { versionId?: string }): Promise<Uint8Array>
  objectLockEnabled(): Promise<boolean>
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64')

function keyFor(prefix: string, ref: ShareObjectRef): string {
  if (typeof ref?.backupId !== 'string' || !UUID_PATTERN.test(ref.backupId)) throw invalidInput('backupId must be a lowercase UUID', { field: 'backupId' })
  if (!Number.isInteger(ref.index) || ref.index < 1 || ref.index > 255) throw invalidInput('index must be an integer from 1 to 255', { field: 'index' })
  return `${prefix}backups/${ref.backupId}/share-${ref.index}.cfus`
}

/** S3 errors to Coffre's: names only (S3 messages can carry request details), never credentials. */
function storeFailure(error: unknown, key: string): CoffreError {
  const name = (error as { name?: unknown })?.name
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode
  if (name === 'PreconditionFailed' || status === 412) return new CoffreError('COFFRE_CONFLICT', 'A share is already stored under this backup and index', { details: { key } })
  if (name === 'NoSuchBucket') return new CoffreError('COFFRE_INVALID_CONFIG', 'The backup bucket does not exist')
  if (name === 'NoSuchKey' || name === 'NoSuchVersion' || name === 'NotFound' || status === 404) {
    return new CoffreError('COFFRE_NOT_FOUND', 'No share is stored under this backup and index', { details: { key } })
  }
  return new CoffreError('COFFRE_UPSTREAM_FAILED', `The object store failed${typeof name === 'string' ? ` (${name})` : ''}`, {
    details: { service: 's3', ...(typeof status === 'number' ? { status } : {}) },
    cause: error,
  })
}

export function createS3ShareStore(options: S3ShareStoreOptions): S3ShareStore {
  const { client, bucket, prefix = 'coffre/', retentionDays = 3650, requireObjectLock = false, now = Date.now } = options
  if (typeof bucket !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw invalidInput('bucket must be an S3 bucket name', { field: 'bucket' })
  if (typeof prefix !== 'string' || !/^(?:[A-Za-z0-9._-]+\/)*$/.test(prefix)) throw invalidInput('prefix must be empty or end with "/"', { field: 'prefix' })
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 36500) throw invalidInput('retentionDays must be an integer from 1 to 36500', { field: 'retentionDays' })
  let lockKnown: Promise<boolean> | undefined

  function objectLockEnabled(): Promise<boolean> {
    lockKnown ??= client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket })).then(
      (reply) => reply.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled',
      (error: unknown) => {
        lockKnown = undefined
        if ((error as { name?: unknown })?.name === 'ObjectLockConfigurationNotFoundError') return false
        throw storeFailure(error, '')
      },
    )
    return lockKnown
  }

  return {
    objectLockEnabled,
    async put(ref, share) {
      const key = keyFor(prefix, ref)
      if (!(share instanceof Uint8Array) || share.length === 0) throw new TypeError('share must be a non-empty Uint8Array')
      const locked = await objectLockEnabled()
      if (!locked && requireObjectLock) throw new CoffreError('COFFRE_INVALID_CONFIG', 'The backup bucket has no object lock, and object lock is required')
      const lockedUntil = locked ? new Date(now() + retentionDays * 86_400_000) : null
      const checksum = sha256(share)
      try {
        const reply = await client.send(new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: share,
          ContentType: 'application/octet-stream',
          IfNoneMatch: '*',
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: checksum,
          ...(lockedUntil === null ? {} : { ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: lockedUntil }),
        }))
        return { key, versionId: reply.VersionId ?? null, lockedUntil: lockedUntil?.toISOString() ?? null, sha256: checksum }
      } catch (error) {
        throw storeFailure(error, key)
      }
    },
    async get(ref, getOptions = {}) {
      const key = keyFor(prefix, ref)
      let body: Uint8Array
      let expected: string | undefined
      try {
        const reply = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED', ...(getOptions.versionId === undefined ? {} : { VersionId: getOptions.versionId }) }))
        body = new Uint8Array(await (reply.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array(0))))
        expected = reply.ChecksumSHA256
      } catch (error) {
        throw storeFailure(error, key)
      }
      if (expected !== undefined && expected !== sha256(body)) {
        throw new CoffreError('COFFRE_UPSTREAM_FAILED', 'The share read from the object store does not match its checksum', { details: { service: 's3', key } })
      }
      return body
    },
  }
}
