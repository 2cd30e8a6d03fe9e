import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import pkcs11js from 'pkcs11js'
import { startSoftHsm, type SoftHsm } from '../support/softhsm.ts'
import { CoffreError } from '../../src/errors.ts'
import type { KeyProvider } from '../../src/keyProviders/keyProvider.ts'
import { openPkcs11Provider, type Pkcs11ProviderConfig } from '../../src/keyProviders/pkcs11.ts'

const rejectsWith = (promise: Promise<unknown>, code: string) =>
  assert.rejects(promise, (error: unknown) => error instanceof CoffreError && error.code === code)

describe('pkcs11 key provider (SoftHSM2)', () => {
  let hsm: SoftHsm
  let otherToken: string
  let config: Pkcs11ProviderConfig
  let provider: KeyProvider

  before(async () => {
    hsm = await startSoftHsm()
    otherToken = await hsm.addToken() // before the module is initialised, so the slot list sees it
    config = { module: hsm.module, tokenLabel: hsm.tokenLabel, pin: hsm.pin, keyLabel: 'coffre-root', createKey: true }
    provider = await openPkcs11Provider(config)
  })
  after(async () => {
    await provider?.close()
    await hsm?.stop()
  })

  it('generates a data key that unwraps to the same bytes, and describes the key without secrets', async () => {
    const { plaintext, wrapped } = await provider.generateDataKey({ dataKeyId: 'dk_1' })
    assert.equal(plaintext.length, 32)
    assert.equal(wrapped[0], 1)
    assert.deepEqual(await provider.unwrapDataKey(wrapped, { dataKeyId: 'dk_1' }), plaintext)
    assert.equal(provider.info.kind, 'pkcs11')
    assert.equal(provider.info.keyRef, `pkcs11:token=${hsm.tokenLabel};object=coffre-root`)
    assert.match(provider.info.details.checkValue ?? '', /^[0-9a-f]{6}$/)
    assert.equal(JSON.stringify(provider.info).includes(hsm.pin), false)
  })

  it('wraps an existing data key without aliasing it', async () => {
    const dek = new Uint8Array(randomBytes(32))
    const copy = dek.slice()
    const wrapped = await provider.wrapDataKey(dek, { dataKeyId: 'dk_2' })
    assert.deepEqual(dek, copy)
    const again = await provider.wrapDataKey(dek, { dataKeyId: 'dk_2' })
    assert.deepEqual(again, wrapped) // RFC 5649 is deterministic: same key, same id, same blob
    assert.deepEqual(await provider.unwrapDataKey(wrapped, { dataKeyId: 'dk_2' }), copy)
  })

  it('refuses a wrapped key moved to another data-key id', async () => {
    const { wrapped } = await provider.generateDataKey({ dataKeyId: 'dk_a' })
    await rejectsWith(provider.unwrapDataKey(wrapped, { dataKeyId: 'dk_b' }), 'COFFRE_ROOT_KEY_INVALID')
  })

  it('refuses a tampered wrapped key, wherever the change is', async () => {
    const { wrapped } = await provider.generateDataKey({ dataKeyId: 'dk_t' })
    for (const index of [0, 1, 20, 40, 41, 60, 72]) {
      const tampered = wrapped.slice()
      tampered[index] = (tampered[index] as number) ^ 0x01
      await rejectsWith(provider.unwrapDataKey(tampered, { dataKeyId: 'dk_t' }), 'COFFRE_ROOT_KEY_INVALID')
    }
    await rejectsWith(provider.unwrapDataKey(wrapped.subarray(0, 72), { dataKeyId: 'dk_t' }), 'COFFRE_ROOT_KEY_INVALID')
    await rejectsWith(provider.unwrapDataKey(new Uint8Array(0), { dataKeyId: 'dk_t' }), 'COFFRE_ROOT_KEY_INVALID')
  })

  it('refuses a key wrapped under another root key (another label, another token)', async () => {
    const { wrapped } = await provider.generateDataKey({ dataKeyId: 'dk_w' })
    const otherKey = await openPkcs11Provider({ ...config, keyLabel: 'other-root' })
    const otherTokenKey = await openPkcs11Provider({ ...config, tokenLabel: otherToken })
    try {
      assert.notEqual(otherKey.info.details.checkValue, provider.info.details.checkValue)
      await rejectsWith(otherKey.unwrapDataKey(wrapped, { dataKeyId: 'dk_w' }), 'COFFRE_ROOT_KEY_INVALID')
      await rejectsWith(otherTokenKey.unwrapDataKey(wrapped, { dataKeyId: 'dk_w' }), 'COFFRE_ROOT_KEY_INVALID')
    } finally {
      await otherKey.close()
      await otherTokenKey.close()
    }
    // Closing the other providers did not log out or finalise the shared module.
    assert.equal((await provider.generateDataKey({ dataKeyId: 'dk_after' })).plaintext.length, 32)
  })

  it('finds the existing root key by label on a second open', async () => {
    const { plaintext, wrapped } = await provider.generateDataKey({ dataKeyId: 'dk_r' })
    const reopened = await openPkcs11Provider({ ...config, createKey: false })
    try {
      assert.equal(reopened.info.details.checkValue, provider.info.details.checkValue)
      assert.equal(reopened.info.details.created, undefined)
      assert.deepEqual(await reopened.unwrapDataKey(wrapped, { dataKeyId: 'dk_r' }), plaintext)
    } finally {
      await reopened.close()
    }
  })

  it('reports a missing key label as COFFRE_ROOT_KEY_MISSING', async () => {
    await rejectsWith(openPkcs11Provider({ ...config, keyLabel: 'no-such-key', createKey: false }), 'COFFRE_ROOT_KEY_MISSING')
  })

  it('reports an unknown token, a wrong PIN and a bad module as COFFRE_KEY_PROVIDER_FAILED, without the PIN', async () => {
    await rejectsWith(openPkcs11Provider({ ...config, tokenLabel: 'no-such-token' }), 'COFFRE_KEY_PROVIDER_FAILED')
    await rejectsWith(openPkcs11Provider({ ...config, module: '/nonexistent/libpkcs11.so' }), 'COFFRE_KEY_PROVIDER_FAILED')
    // Another token, so that its login is not already held by the open provider.
    const wrongPin = '98765'
    await assert.rejects(openPkcs11Provider({ ...config, tokenLabel: otherToken, pin: new TextEncoder().encode(wrongPin) }), (error: unknown) => {
      assert.ok(error instanceof CoffreError)
      assert.equal(error.code, 'COFFRE_KEY_PROVIDER_FAILED')
      assert.match(error.message, /CKR_PIN_INCORRECT/)
      assert.equal(JSON.stringify([error.message, error.details, String(error.cause)]).includes(wrongPin), false)
      return true
    })
    // The open provider's token is logged in already, where C_Login no longer checks PINs.
    await rejectsWith(openPkcs11Provider({ ...config, pin: wrongPin }), 'COFFRE_KEY_PROVIDER_FAILED')
  })

  it('keeps the root key on the token: sensitive, non-extractable, value unreadable', () => {
    const pkcs11 = new pkcs11js.PKCS11()
    pkcs11.load(hsm.module) // the same, already initialised module: do not initialise or finalise it
    const slot = pkcs11.C_GetSlotList(true).find((s) => pkcs11.C_GetTokenInfo(s).label.trimEnd() === hsm.tokenLabel)
    assert.ok(slot)
    const session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION)
    try {
      pkcs11.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_LABEL, value: 'coffre-root' }])
      const [key] = pkcs11.C_FindObjects(session, 2)
      pkcs11.C_FindObjectsFinal(session)
      assert.ok(key)
      const [token, sensitive, extractable, encrypt] = pkcs11
        .C_GetAttributeValue(session, key, [
          { type: pkcs11js.CKA_TOKEN },
          { type: pkcs11js.CKA_SENSITIVE },
          { type: pkcs11js.CKA_EXTRACTABLE },
          { type: pkcs11js.CKA_ENCRYPT },
        ])
        .map((a) => (a.value as Buffer)[0])
      assert.deepEqual([token, sensitive, extractable, encrypt], [1, 1, 0, 0])
      assert.throws(
        () => pkcs11.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_VALUE }]),
        (error: unknown) => error instanceof pkcs11js.Pkcs11Error && error.message === 'CKR_ATTRIBUTE_SENSITIVE',
      )
    } finally {
      pkcs11.C_CloseSession(session)
    }
  })

  it('refuses an existing key that could leave the token', async () => {
    const pkcs11 = new pkcs11js.PKCS11()
    pkcs11.load(hsm.module)
    const slot = pkcs11.C_GetSlotList(true).find((s) => pkcs11.C_GetTokenInfo(s).label.trimEnd() === hsm.tokenLabel)
    assert.ok(slot)
    const session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION)
    try {
      pkcs11.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
        { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
        { type: pkcs11js.CKA_LABEL, value: 'weak-root' },
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_SENSITIVE, value: false },
        { type: pkcs11js.CKA_EXTRACTABLE, value: true },
        { type: pkcs11js.CKA_WRAP, value: true },
        { type: pkcs11js.CKA_UNWRAP, value: true },
      ])
    } finally {
      pkcs11.C_CloseSession(session)
    }
    await assert.rejects(openPkcs11Provider({ ...config, keyLabel: 'weak-root' }), (error: unknown) => {
      assert.ok(error instanceof CoffreError)
      assert.equal(error.code, 'COFFRE_INVALID_CONFIG')
      assert.match(error.message, /not sensitive, extractable/)
      return true
    })
  })

  it('unwraps 200 data keys concurrently, each to its own value', async () => {
    const keys = await Promise.all(Array.from({ length: 20 }, (_, i) => provider.generateDataKey({ dataKeyId: `dk_c${i}` })))
    const jobs = Array.from({ length: 200 }, (_, n) => n % keys.length)
    const results = await Promise.all(jobs.map((i) => provider.unwrapDataKey(keys[i]!.wrapped, { dataKeyId: `dk_c${i}` })))
    results.forEach((dek, n) => assert.deepEqual(dek, keys[jobs[n]!]!.plaintext))
  })

  it('rejects wrong argument types before touching the token', async () => {
    await assert.rejects(provider.wrapDataKey('00'.repeat(32) as unknown as Uint8Array, { dataKeyId: 'x' }), TypeError)
    await rejectsWith(provider.wrapDataKey(new Uint8Array(31), { dataKeyId: 'x' }), 'COFFRE_INVALID_INPUT')
    await assert.rejects(provider.unwrapDataKey(new Uint8Array(73), { dataKeyId: 7 } as unknown as { dataKeyId: string }), TypeError)
    await rejectsWith(provider.generateDataKey({ dataKeyId: '' }), 'COFFRE_INVALID_INPUT')
    await rejectsWith(openPkcs11Provider({ ...config, pin: '' }), 'COFFRE_INVALID_CONFIG')
  })

  it('closes idempotently and refuses work afterwards, while other providers keep working', async () => {
    const second = await openPkcs11Provider(config)
    const { plaintext, wrapped } = await second.generateDataKey({ dataKeyId: 'dk_z' })
    await Promise.all([second.close(), second.close()])
    await rejectsWith(second.unwrapDataKey(wrapped, { dataKeyId: 'dk_z' }), 'COFFRE_KEY_PROVIDER_FAILED')
    assert.deepEqual(await provider.unwrapDataKey(wrapped, { dataKeyId: 'dk_z' }), plaintext)
  })

  it('finalises the module when the last provider closes, and initialises it again on the next open', async () => {
    const { plaintext, wrapped } = await provider.generateDataKey({ dataKeyId: 'dk_f' })
    await provider.close()
    provider = await openPkcs11Provider(config)
    assert.deepEqual(await provider.unwrapDataKey(wrapped, { dataKeyId: 'dk_f' }), plaintext)
  })
})
