/** Checks at start-up that the configured KMS key exists, is enabled and is a symmetric encryption key. */
import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms'
import { CoffreError } from '../errors.ts'
import { kmsErrorKind, kmsFailure } from './awsKmsErrors.ts'

export type KmsRootKey = { readonly arn: string; readonly keyManager: string; readonly origin: string }

export async function describeRootKey(client: KMSClient, keyId: string): Promise<KmsRootKey> {
  let metadata
  try {
    metadata = (await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata
  } catch (error) {
    const kind = kmsErrorKind(error)
    throw kmsFailure('DescribeKey', error, kind === 'not-this-key' ? 'failed' : kind)
  }
  if (metadata?.Arn === undefined) throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', 'AWS KMS DescribeKey returned no key metadata')
  const details = { provider: 'aws-kms', keyArn: metadata.Arn, keyState: metadata.KeyState ?? null }
  if (metadata.KeyState !== 'Enabled' || metadata.Enabled !== true) {
    throw new CoffreError('COFFRE_ROOT_KEY_MISSING', `The KMS key ${metadata.Arn} is not enabled (state ${metadata.KeyState ?? 'unknown'})`, { details })
  }
  if (metadata.KeySpec !== 'SYMMETRIC_DEFAULT' || metadata.KeyUsage !== 'ENCRYPT_DECRYPT') {
    throw new CoffreError('COFFRE_INVALID_CONFIG', `The KMS key ${metadata.Arn} is not a symmetric ENCRYPT_DECRYPT key`, {
      details: { ...details, keySpec: metadata.KeySpec ?? null, keyUsage: metadata.KeyUsage ?? null },
    })
  }
  return { arn: metadata.Arn, keyManager: metadata.KeyManager ?? 'unknown', origin: metadata.Origin ?? 'unknown' }
}
