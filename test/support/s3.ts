/**
 * A throw-away local S3 for tests: a moto server (moto.ts) reached with path-style addressing and
 * dummy credentials, plus a client for test set-up (buckets with or without object lock).
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3'
import { startMoto } from './moto.ts'

export type LocalS3 = {
  readonly endpoint: string
  readonly region: string
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
  readonly client: S3Client
  /** Creates a bucket; `objectLock: true` creates it with ObjectLockEnabledForBucket (versioning on). */
  createBucket(name: string, options?: { objectLock?: boolean }): Promise<void>
  stop(): Promise<void>
}

export async function startLocalS3(): Promise<LocalS3> {
  const moto = await startMoto()
  const { endpoint, region, credentials } = moto
  const client = new S3Client({ endpoint, region, credentials, forcePathStyle: true })
  return {
    endpoint,
    region,
    credentials,
    client,
    async createBucket(name, options = {}) {
      await client.send(new CreateBucketCommand({
        Bucket: name,
        CreateBucketConfiguration: { LocationConstraint: region as 'eu-west-3' },
        ...(options.objectLock === true ? { ObjectLockEnabledForBucket: true } : {}),
      }))
    },
    async stop() {
      client.destroy()
      await moto.stop()
    },
  }
}
