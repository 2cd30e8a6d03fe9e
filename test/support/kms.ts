/**
 * A throw-away local AWS KMS for tests: a moto server (moto.ts) with dummy credentials.
 */
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms'
import { startMoto } from './moto.ts'

export type LocalKms = {
  readonly endpoint: string
  readonly region: string
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
  /** A client on the local KMS, for test set-up (disable a key, schedule its deletion…). */
  readonly client: KMSClient
  /** Creates a symmetric ENCRYPT_DECRYPT key and returns its id. */
  createKey(): Promise<string>
  stop(): Promise<void>
}

export async function startLocalKms(): Promise<LocalKms> {
  const moto = await startMoto()
  const { endpoint, region, credentials } = moto
  const client = new KMSClient({ endpoint, region, credentials })
  return {
    endpoint,
    region,
    credentials,
    client,
    async createKey() {
      const { KeyMetadata } = await client.send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Description: 'coffre test root key' }))
      if (KeyMetadata?.KeyId === undefined) throw new Error('moto returned no key id')
      return KeyMetadata.KeyId
    },
    async stop() {
      client.destroy()
      await moto.stop()
    },
  }
}
