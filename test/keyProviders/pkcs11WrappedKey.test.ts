import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { CoffreError } from '../../src/errors.ts'
import { parseWrappedDataKey, pkcs11WrappedKeyLength, sealWrappedDataKey, verifyDataKeyBinding } from '../../src/keyProviders/pkcs11WrappedKey.ts'

const isRootKeyInvalid = (error: unknown) => error instanceof CoffreError && error.code === 'COFFRE_ROOT_KEY_INVALID'
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n })

describe('pkcs11 wrapped data key format', () => {
  it('round-trips and binds the blob to its data-key id', () => {
    fc.assert(
      fc.property(bytes(40), bytes(32), fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), (kwp, dek, id, otherId) => {
        const blob = sealWrappedDataKey(kwp, dek, id)
        assert.equal(blob.length, pkcs11WrappedKeyLength)
        const parsed = parseWrappedDataKey(blob)
        assert.deepEqual(parsed.kwp, kwp)
        verifyDataKeyBinding(dek, id, parsed.kwp, parsed.tag)
        if (otherId !== id) assert.throws(() => verifyDataKeyBinding(dek, otherId, parsed.kwp, parsed.tag), isRootKeyInvalid)
      }),
    )
  })

  it('detects a change in any byte of the wrap or the tag, and a different DEK', () => {
    const kwp = new Uint8Array(randomBytes(40))
    const dek = new Uint8Array(randomBytes(32))
    const blob = sealWrappedDataKey(kwp, dek, 'dk_1')
    for (let i = 1; i < blob.length; i++) {
      const tampered = blob.slice()
      tampered[i] = (tampered[i] as number) ^ 0x80
      const parsed = parseWrappedDataKey(tampered)
      assert.throws(() => verifyDataKeyBinding(dek, 'dk_1', parsed.kwp, parsed.tag), isRootKeyInvalid)
    }
    const parsed = parseWrappedDataKey(blob)
    assert.throws(() => verifyDataKeyBinding(new Uint8Array(32), 'dk_1', parsed.kwp, parsed.tag), isRootKeyInvalid)
  })

  it('rejects an unknown version or a wrong length before any unwrap', () => {
    const blob = sealWrappedDataKey(new Uint8Array(40), new Uint8Array(32), 'dk_1')
    const v2 = blob.slice()
    v2[0] = 2
    assert.throws(() => parseWrappedDataKey(v2), isRootKeyInvalid)
    assert.throws(() => parseWrappedDataKey(blob.subarray(1)), isRootKeyInvalid)
    assert.throws(() => parseWrappedDataKey(new Uint8Array([...blob, 0])), isRootKeyInvalid)
  })
})
