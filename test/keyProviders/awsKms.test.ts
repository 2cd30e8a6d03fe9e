import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { CreateAliasCommand, DisableKeyCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms'
import { startLocalKms, type LocalKms } from '../support/kms.ts'
import { CoffreError } from '../../src/errors.ts'
import { openAwsKmsProvider, type AwsKmsProviderConfig } from '../../src/keyProviders/awsKms.ts'
import type { KeyProvider } from '../../src/keyProviders/keyProvider.ts'

const rejectsWith = (promise: Promise<unknown>, code: string) =>
  assert.rejects(promise, (error: unknown) => error instanceof CoffreError && error.code === code)

describe('aws-kms key provider (moto)', () => {
  let kms: LocalKms
  let config: AwsKmsProviderConfig
  let provider: KeyProvider
  const secretAccessKey = 'do-not-print-this-secret-7f3a'

  before(async () => {
    kms = await startLocalKms()
    config = { keyId: await kms.createKey(), region: kms.region, endpoint: kms.endpoint, credentials: { ...kms.credentials, secretAccessKey } }
    provider = await openAwsKmsProvider(config)
  })
  after(async () => {
    await provider?.close()
    await kms?.stop()
  })

  it('generates a data key that unwraps to the same bytes, and names the key by ARN', async () => {
    const { plaintext, wrapped } = await provider.generateDataKey({ dataKeyId: 'dk_1' })
    assert.equal(plaintext.length, 32)
    assert.equal(wrapped[0], 1)
    assert.deepEqual(await provider.unwrapDataKey(wrapped, { dataKeyId: 'dk_1' }), plaintext)
    assert.equal(provider.info.kind, 'aws-kms')
    assert.match(provider.info.keyRef, new RegExp(`^arn:aws:kms:${kms.region}:\\d+:key/${config.keyId}$`))
    assert.equal(JSON.stringify(provider.info).includes(secretAccessKey), false)
  })

  it('wraps an existing data key without changing it', async () => {
    const dek = new Uint8Array(randomBytes(32))
    const copy = dek.slice()
    const wrapped = await provider.wrapDataKey(dek, { dataKeyId: 'dk_2' })
    assert.deepEqual(dek, copy)
    assert.deepEqual(await provider.unwrapDataKey(wrapped, { dataKeyId: 'dk_2' }), copy)
  })

  it('opens by alias and unwraps what the key id wrapped', async () => {
    await kms.client.send(new CreateAliasCommand({ AliasName: 'alias/coffre-test', TargetKeyId: config.keyId }))
    const byAlias = await openAwsKmsProvider({ ...config, keyId: 'alias/coffre-test' })
    try {
      assert.equal(byAlias.info.keyRef, provider.info.keyRef)
      const { plaintext, wrapped } = await provider.generateDataKey({ dataKeyId: 'dk_alias' })
      assert.deepEqual(await byAlias.unwrapDataKey(wrapped, { dataKeyId: 'dk_alias' }), plaintext)
    } finally {
      await byAlias.close()
    }
  })

  it('refuses a wrapped key moved to another data-key id', async () => {
    const { wrapped } = await provider.generateDataKey({ dataKeyId: 'dk_a' })
    await rejectsWith(provider.unwrapDataKey(wrapped, { dataKeyId: 'dk_b' }), 'COFFRE_ROOT_KEY_INVALID')
  })

  it('refuses a tampered wrapped key, wherever the change is', async () => {
    const { wrapped } = await provider.generateDataKey({ dataKeyId: 'dk_t' })
    for (const index of [0, 4, 40, wrapped.length - 1]) {
      const tampered = wrapped.slice()
      tampered[index] = (tampered[index] as number) ^ 0x01
      await rejectsWith(provider.unwrapDataKey(tampered, { dataKeyId: 'dk_t' }), 'COFFRE_ROOT_KEY_INVALID')
    }
    await rejectsWith(provider.unwrapDataKey(wrapped.subarray(0, 20), { dataKeyId: 'dk_t' }), 'COFFRE_ROOT_KEY_INVALID')
    await rejectsWith(provider.unwrapDataKey(new Uint8Array([1]), { dataKeyId: 'dk_t' }), 'COFFRE_ROOT_KEY_INVALID')
  })

  it('refuses a key wrapped under another KMS key', async () => {
    const other = await openAwsKmsProvider({ ...config, keyId: await kms.createKey() })
    try {
      const { wrapped } = await provider.generateDataKey({ dataKeyId: 'dk_w' })
      await rejectsWith(other.unwrapDataKey(wrapped, { dataKeyId: 'dk_w' }), 'COFFRE_ROOT_KEY_INVALID')
    } finally {
      await other.close()
    }
  })

  it('reports a missing, disabled or deleted key as COFFRE_ROOT_KEY_MISSING', async () => {
    await rejectsWith(openAwsKmsProvider({ ...config, keyId: '11111111-2222-3333-4444-555555555555' }), 'COFFRE_ROOT_KEY_MISSING')
    await rejectsWith(openAwsKmsProvider({ ...config, keyId: 'alias/no-such-alias' }), 'COFFRE_ROOT_KEY_MISSING')
    const disabled = await kms.createKey()
    await kms.client.send(new DisableKeyCommand({ KeyId: disabled }))
    await rejectsWith(openAwsKmsProvider({ ...config, keyId: disabled }), 'COFFRE_ROOT_KEY_MISSING')
    const deleted = await kms.createKey()
    await kms.client.send(new ScheduleKeyDeletionCommand({ KeyId: deleted, PendingWindowInDays: 7 }))
    await rejectsWith(openAwsKmsProvider({ ...config, keyId: deleted }), 'COFFRE_ROOT_KEY_MISSING')
  })

  it('reports an unreachable KMS as COFFRE_KEY_PROVIDER_FAILED without credentials in the error', async () => {
    await assert.rejects(openAwsKmsProvider({ ...config, endpoint: 'http://127.0.0.1:9' }), (error: unknown) => {
      assert.ok(error instanceof CoffreError)
      assert.equal(error.code, 'COFFRE_KEY_PROVIDER_FAILED')
      assert.equal(JSON.stringify([error.message, error.details, String(error.cause)]).includes(secretAccessKey), false)
      return true
    })
  })

  it('unwraps 50 data keys concurrently, each to its own value', async () => {
    const keys = await Promise.all(Array.from({ length: 10 }, (_, i) => provider.generateDataKey({ dataKeyId: `dk_c${i}` })))
    const jobs = Array.from({ length: 50 }, (_, n) => n % keys.length)
    const results = await Promise.all(jobs.map((i) => provider.unwrapDataKey(keys[i]!.wrapped, { dataKeyId: `dk_c${i}` })))
    results.forEach((dek, n) => assert.deepEqual(dek, keys[jobs[n]!]!.plaintext))
  })

  it('rejects bad arguments and bad config before calling KMS', async () => {
    await assert.rejects(provider.wrapDataKey([1, 2] as unknown as Uint8Array, { dataKeyId: 'x' }), TypeError)
    await rejectsWith(provider.wrapDataKey(new Uint8Array(16), { dataKeyId: 'x' }), 'COFFRE_INVALID_INPUT')
    await rejectsWith(provider.generateDataKey({ dataKeyId: '' }), 'COFFRE_INVALID_INPUT')
    await rejectsWith(openAwsKmsProvider({ ...config, region: '' }), 'COFFRE_INVALID_CONFIG')
    await rejectsWith(openAwsKmsProvider({ ...config, endpoint: 'not a url' }), 'COFFRE_INVALID_CONFIG')
  })

  it('refuses work after close', async () => {
    const second = await openAwsKmsProvider(config)
    const { wrapped } = await second.generateDataKey({ dataKeyId: 'dk_z' })
    await second.close()
    await rejectsWith(second.unwrapDataKey(wrapped, { dataKeyId: 'dk_z' }), 'COFFRE_KEY_PROVIDER_FAILED')
  })
})
