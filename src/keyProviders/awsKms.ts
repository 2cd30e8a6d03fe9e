/**
 * The `aws-kms` root-key provider: the KEK never leaves AWS KMS. Data keys come from GenerateDataKey
 * (AES_256) and are rewrapped with Encrypt; both bind the DEK to its id through the encryption
 * context `{ coffre: 'dek-v1', dataKeyId }`, which Decrypt must repeat exactly.
 *
 * Stored form: version (1 byte, 0x01) ‖ the KMS CiphertextBlob.
 */
import { DecryptCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms'
import { CoffreError, redactUrl } from '../errors.ts'
import { kmsErrorKind, kmsFailure } from './awsKmsErrors.ts'
import { describeRootKey } from './awsKmsKey.ts'
import type { DataKeyContext, KeyProvider } from './keyProvider.ts'

export type AwsKmsProviderConfig = {
  /** Key id, key ARN, alias name (`alias/…`) or alias ARN. */
  readonly keyId: string
  readonly region: string
  /** A KMS-compatible endpoint (a VPC endpoint, or moto in tests); the AWS default otherwise. */
  readonly endpoint?: string
  /** Static credentials; without them the AWS SDK's default credential chain applies. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string }
}

const wrappedVersion = 0x01
const dataKeyBytes = 32

function assertConfig(config: AwsKmsProviderConfig): void {
  const invalid = (message: string) => new CoffreError('COFFRE_INVALID_CONFIG', `aws-kms ${message}`)
  if (typeof config !== 'object' || config === null) throw invalid('config must be an object')
  if (typeof config.keyId !== 'string' || config.keyId.length === 0 || config.keyId.length > 2048) throw invalid('keyId must be a non-empty string')
  if (typeof config.region !== 'string' || !/^[a-z0-9-]{1,64}$/.test(config.region)) throw invalid('region must look like eu-west-3')
  if (config.endpoint !== undefined && (typeof config.endpoint !== 'string' || !URL.canParse(config.endpoint))) throw invalid('endpoint must be a URL')
  const credentials = config.credentials
  if (credentials !== undefined && (typeof credentials?.accessKeyId !== 'string' || typeof credentials.secretAccessKey !== 'string')) {
    throw invalid('credentials need accessKeyId and secretAccessKey strings')
  }
}

function assertContext(context: DataKeyContext): Record<string, string> {
  const id: unknown = context?.dataKeyId
  if (typeof id !== 'string') throw new TypeError('context.dataKeyId must be a string')
  if (id.length === 0 || Buffer.byteLength(id) > 1024) throw new CoffreError('COFFRE_INVALID_INPUT', 'context.dataKeyId must be 1 to 1024 bytes')
  return { coffre: 'dek-v1', dataKeyId: id }
}

function assertDataKey(plaintext: Uint8Array): void {
  if (!(plaintext instanceof Uint8Array)) throw new TypeError('data key must be a Uint8Array')
  if (plaintext.length !== dataKeyBytes) throw new CoffreError('COFFRE_INVALID_INPUT', `data key must be ${dataKeyBytes} bytes`)
}

const seal = (ciphertextBlob: Uint8Array | undefined): Uint8Array => {
  if (ciphertextBlob === undefined || ciphertextBlob.length === 0) throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', 'AWS KMS returned no ciphertext')
  const out = new Uint8Array(1 + ciphertextBlob.length)
  out[0] = wrappedVersion
  out.set(ciphertextBlob, 1)
  return out
}

export async function openAwsKmsProvider(config: AwsKmsProviderConfig): Promise<KeyProvider> {
  assertConfig(config)
  const client = new KMSClient({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    ...(config.credentials === undefined ? {} : { credentials: { ...config.credentials } }),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000 },
  })
  let rootKey
  try {
    rootKey = await describeRootKey(client, config.keyId)
  } catch (error) {
    client.destroy()
    throw error
  }
  const keyArn = rootKey.arn
  let closed = false
  /** Runs one KMS call; `onError` may turn a KMS error into a different Coffre error first. */
  const send = async <T>(operation: string, call: () => Promise<T>, onError?: (error: unknown) => Promise<CoffreError | undefined>): Promise<T> => {
    if (closed) throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', 'The aws-kms key provider is closed')
    try {
      return await call()
    } catch (error) {
      throw (await onError?.(error)) ?? kmsFailure(operation, error)
    }
  }

  /**
   * KMS answers a ciphertext made under another key with IncorrectKeyException on AWS, but with
   * AccessDeniedException on moto, which is also what a real IAM denial looks like. A round trip of
   * our own under the same key tells the two apart: if it works, the blob is simply not ours.
   */
  const ownRoundTripWorks = async (): Promise<boolean> => {
    try {
      const context = { coffre: 'probe-v1' }
      const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: new Uint8Array(1), EncryptionContext: context }))
      await client.send(new DecryptCommand({ KeyId: keyArn, CiphertextBlob, EncryptionContext: context }))
      return true
    } catch {
      return false
    }
  }

  const wrapDataKey = async (plaintext: Uint8Array, context: DataKeyContext): Promise<Uint8Array> => {
    assertDataKey(plaintext)
    const encryptionContext = assertContext(context)
    const copy = plaintext.slice()
    try {
      const { CiphertextBlob } = await send('Encrypt', () =>
        client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: copy, EncryptionContext: encryptionContext })),
      )
      return seal(CiphertextBlob)
    } finally {
      copy.fill(0)
    }
  }

  return {
    info: {
      kind: 'aws-kms',
      keyRef: keyArn,
      details: {
        region: config.region,
        keyId: config.keyId,
        keyManager: rootKey.keyManager,
        origin: rootKey.origin,
        ...(config.endpoint === undefined ? {} : { endpoint: redactUrl(config.endpoint) }),
        credentials: config.credentials === undefined ? 'default chain' : 'static',
      },
    },
    async generateDataKey(context) {
      const encryptionContext = assertContext(context)
      const { Plaintext, CiphertextBlob } = await send('GenerateDataKey', () =>
        client.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: encryptionContext })),
      )
      if (Plaintext?.length !== dataKeyBytes) {
        Plaintext?.fill(0)
        throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', 'AWS KMS GenerateDataKey returned no 32-byte key')
      }
      const plaintext = new Uint8Array(Plaintext)
      Plaintext.fill(0)
      return { plaintext, wrapped: seal(CiphertextBlob) }
    },
    wrapDataKey,
    async unwrapDataKey(wrapped, context) {
      if (!(wrapped instanceof Uint8Array)) throw new TypeError('wrapped data key must be a Uint8Array')
      const encryptionContext = assertContext(context)
      if (wrapped.length < 2 || wrapped[0] !== wrappedVersion) {
        throw new CoffreError('COFFRE_ROOT_KEY_INVALID', 'The wrapped data key is not in the aws-kms format (version 1)', { details: { provider: 'aws-kms' } })
      }
      const { Plaintext, KeyId } = await send(
        'Decrypt',
        () => client.send(new DecryptCommand({ KeyId: keyArn, CiphertextBlob: wrapped.slice(1), EncryptionContext: encryptionContext })),
        async (error) => (kmsErrorKind(error) === 'access-denied' && (await ownRoundTripWorks()) ? kmsFailure('Decrypt', error, 'not-this-key') : undefined),
      )
      if (KeyId !== keyArn || Plaintext?.length !== dataKeyBytes) {
        Plaintext?.fill(0)
        throw new CoffreError('COFFRE_ROOT_KEY_INVALID', 'AWS KMS decrypted the data key under another key or to the wrong length', { details: { provider: 'aws-kms' } })
      }
      const dek = new Uint8Array(Plaintext)
      Plaintext.fill(0)
      return dek
    },
    async close() {
      closed = true
      client.destroy()
    },
  }
}
