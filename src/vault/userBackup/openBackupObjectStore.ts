/**
 * The object store of user-backup shares, from the configuration, opened on first use: the S3
 * client and the share store are loaded with a dynamic import, so a vault that never makes a user
 * backup never loads the AWS SDK. Credentials come from the AWS SDK's default chain.
 */
import type { BackupStorageConfig } from '../../config.ts'
import type { BackupObjectStore, BackupObjectStoreSource } from './backupPlacement.ts'

export type ClosableObjectStoreSource = { readonly source: BackupObjectStoreSource; close(): void }

export function backupObjectStoreFrom(config: BackupStorageConfig): ClosableObjectStoreSource {
  let opened: Promise<BackupObjectStore & { destroy(): void }> | undefined
  const open = async () => {
    const [{ S3Client }, { createS3ShareStore }] = await Promise.all([import('@aws-sdk/client-s3'), import('../../store/s3ShareStore.ts')])
    const client = new S3Client({ region: config.region, ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint, forcePathStyle: true }) })
    const store = createS3ShareStore({
      client,
      bucket: config.bucket,
      ...(config.prefix === undefined ? {} : { prefix: config.prefix }),
      ...(config.retentionDays === undefined ? {} : { retentionDays: config.retentionDays }),
      ...(config.requireObjectLock === undefined ? {} : { requireObjectLock: config.requireObjectLock }),
    })
    return { bucket: config.bucket, store, destroy: () => client.destroy() }
  }
  return {
    source: () => {
      opened ??= open().catch((error) => {
        opened = undefined
        throw error
      })
      return opened
    },
    close() {
      void opened?.then((o) => o.destroy(), () => undefined)
    },
  }
}
