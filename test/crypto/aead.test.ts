/**
 * AES-256-GCM layer: Wycheproof known answers (every keySize 256 / tagSize 128 group of
 * testvectors_v1/aes_gcm_test.json, see the data file's header), the nonce policy (12-byte nonces,
 * 16-byte tags, anything else refused by the guards), and fast-check properties of seal/open.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { CoffreError } from '../../src/errors.ts'
import { AES_KEY_BYTES, GCM_NONCE_BYTES, GCM_TAG_BYTES, decryptAesGcm, encryptAesGcm, openAesGcm, sealAesGcm } from '../../src/crypto/aead.ts'

interface AeadVector {
  tcId: number
  comment: string
  flags: string[]
  key: string
  iv: string
  aad: string
  msg: string
  ct: string
  tag: string
  result: string
}
interface AeadGroup {
  ivSize: number
  keySize: number
  tagSize: number
  tests: AeadVector[]
}

const vectorFile = new URL('../vectors/wycheproof/aes_gcm_256.json', import.meta.url)
const wycheproof = JSON.parse(readFileSync(vectorFile, 'utf8')) as { numberOfTests: number; testGroups: AeadGroup[] }
const vectors = wycheproof.testGroups.flatMap((group) => group.tests)
const standardNonce = vectors.filter((v) => v.iv.length === GCM_NONCE_BYTES * 2)
const otherNonce = vectors.filter((v) => v.iv.length !== GCM_NONCE_BYTES * 2)

const bytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'))
const hex = (data: Uint8Array): string => Buffer.from(data).toString('hex')
const label = (v: AeadVector): string => `tcId ${v.tcId} [${v.flags.join(',')}]${v.comment === '' ? '' : ` ${v.comment}`}`

function flipBit(data: Uint8Array, bit: number): Uint8Array {
  const out = data.slice()
  const index = bit >> 3
  out[index] = (out[index] ?? 0) ^ (1 << (bit & 7))
  return out
}

function assertDecryptFailed(run: () => unknown): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof CoffreError, `expected a CoffreError, got ${String(error)}`)
    assert.equal(error.code, 'COFFRE_DECRYPT_FAILED')
    return true
  })
}

/** The guard's own error: RangeError naming the argument, not node:crypto's ERR_CRYPTO_* nor a CoffreError. */
function assertLengthRefused(run: () => unknown, name: string, expected: number, got: number): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof RangeError, `expected a RangeError, got ${String(error)}`)
    assert.equal(error.message, `${name} must be ${expected} bytes, got ${got}`)
    assert.equal((error as { code?: unknown }).code, undefined)
    return true
  })
}

function assertTypeRefused(run: () => unknown, name: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof TypeError, `expected a TypeError, got ${String(error)}`)
    assert.equal(error.message, `${name} must be a Uint8Array`)
    return true
  })
}

describe('Wycheproof AES-GCM vector file (keySize 256, tagSize 128)', () => {
  it('holds the announced number of tests, all well-formed', () => {
    assert.equal(vectors.length, wycheproof.numberOfTests)
    assert.equal(vectors.length, 105)
    assert.equal(new Set(vectors.map((v) => v.tcId)).size, vectors.length)
    for (const group of wycheproof.testGroups) {
      assert.equal(group.keySize, 256)
      assert.equal(group.tagSize, 128)
      for (const v of group.tests) {
        for (const field of [v.key, v.iv, v.aad, v.msg, v.ct, v.tag]) assert.match(field, /^(?:[0-9a-f]{2})*$/)
        assert.equal(v.key.length, AES_KEY_BYTES * 2, label(v))
        assert.equal(v.tag.length, GCM_TAG_BYTES * 2, label(v))
        assert.equal(v.iv.length * 4, group.ivSize, label(v))
        assert.equal(v.ct.length, v.msg.length, label(v))
      }
    }
  })

  it('has only valid and invalid results (no acceptable ones to decide about)', () => {
    assert.deepEqual(new Set(vectors.map((v) => v.result)), new Set(['valid', 'invalid']))
    assert.equal(standardNonce.length, 66)
    assert.equal(standardNonce.filter((v) => v.result === 'valid').length, 39)
    assert.equal(otherNonce.length, 39)
  })
})

describe('Wycheproof AES-256-GCM, 96-bit nonces: known answers', () => {
  for (const v of standardNonce) {
    const key = bytes(v.key)
    const nonce = bytes(v.iv)
    const aad = bytes(v.aad)
    const sealed = bytes(v.iv + v.ct + v.tag)

    if (v.result === 'valid') {
      it(`${label(v)}: encrypts to ct‖tag, decrypts and opens to msg`, () => {
        const { ciphertext, tag } = encryptAesGcm(key, nonce, bytes(v.msg), aad)
        assert.equal(hex(ciphertext), v.ct)
        assert.equal(hex(tag), v.tag)
        assert.equal(hex(decryptAesGcm(key, nonce, bytes(v.ct), bytes(v.tag), aad)), v.msg)
        assert.equal(hex(openAesGcm(key, sealed, aad)), v.msg)
      })
    } else if (v.result === 'invalid' && v.flags.includes('ModifiedTag')) {
      it(`${label(v)}: the tag alone is wrong, so decrypt and open fail with COFFRE_DECRYPT_FAILED`, () => {
        const { ciphertext, tag } = encryptAesGcm(key, nonce, bytes(v.msg), aad)
        assert.equal(hex(ciphertext), v.ct)
        assert.notEqual(hex(tag), v.tag)
        assertDecryptFailed(() => decryptAesGcm(key, nonce, bytes(v.ct), bytes(v.tag), aad))
        assertDecryptFailed(() => openAesGcm(key, sealed, aad))
      })
    } else {
      it(`${label(v)}: has an expectation`, () => assert.fail(`no rule for a ${v.result} 96-bit vector with flags ${v.flags.join(',')}`))
    }
  }
})

describe('Wycheproof AES-256-GCM, other nonce sizes: refused by the nonce policy', () => {
  for (const v of otherNonce) {
    const nonceBytes = v.iv.length / 2
    it(`${label(v)} (${nonceBytes}-byte nonce, ${v.result}): encrypt and decrypt throw the nonce guard's RangeError`, () => {
      const key = bytes(v.key)
      const nonce = bytes(v.iv)
      const aad = bytes(v.aad)
      assertLengthRefused(() => encryptAesGcm(key, nonce, bytes(v.msg), aad), 'nonce', GCM_NONCE_BYTES, nonceBytes)
      assertLengthRefused(() => decryptAesGcm(key, nonce, bytes(v.ct), bytes(v.tag), aad), 'nonce', GCM_NONCE_BYTES, nonceBytes)
    })
  }
})

const keyArb = fc.uint8Array({ minLength: AES_KEY_BYTES, maxLength: AES_KEY_BYTES })
const dataArb = fc.uint8Array({ maxLength: 300 })
const nonEmptyArb = fc.uint8Array({ minLength: 1, maxLength: 64 })

describe('sealAesGcm / openAesGcm', () => {
  it('round-trips any plaintext and associated data; sealed = nonce ‖ ciphertext ‖ tag', () => {
    fc.assert(
      fc.property(keyArb, dataArb, dataArb, (key, plaintext, associatedData) => {
        const sealed = sealAesGcm(key, plaintext, associatedData)
        assert.equal(sealed.length, GCM_NONCE_BYTES + plaintext.length + GCM_TAG_BYTES)
        assert.deepEqual(openAesGcm(key, sealed, associatedData), plaintext)
        const { ciphertext, tag } = encryptAesGcm(key, sealed.slice(0, GCM_NONCE_BYTES), plaintext, associatedData)
        assert.equal(hex(sealed), hex(sealed.subarray(0, GCM_NONCE_BYTES)) + hex(ciphertext) + hex(tag))
      }),
    )
  })

  it('refuses a sealed value with any one bit flipped (nonce, ciphertext or tag)', () => {
    fc.assert(
      fc.property(keyArb, dataArb, dataArb, fc.nat(), (key, plaintext, associatedData, seed) => {
        const sealed = sealAesGcm(key, plaintext, associatedData)
        assertDecryptFailed(() => openAesGcm(key, flipBit(sealed, seed % (sealed.length * 8)), associatedData))
      }),
    )
  })

  it('refuses associated data with any one bit flipped, or with a byte added', () => {
    fc.assert(
      fc.property(keyArb, dataArb, nonEmptyArb, fc.nat(), fc.integer({ min: 0, max: 255 }), (key, plaintext, associatedData, seed, extra) => {
        const sealed = sealAesGcm(key, plaintext, associatedData)
        assertDecryptFailed(() => openAesGcm(key, sealed, flipBit(associatedData, seed % (associatedData.length * 8))))
        assertDecryptFailed(() => openAesGcm(key, sealed, Uint8Array.of(...associatedData, extra)))
      }),
    )
  })

  it('refuses a truncated sealed value and the wrong key', () => {
    fc.assert(
      fc.property(keyArb, keyArb, dataArb, dataArb, fc.nat(), (key, otherKey, plaintext, associatedData, seed) => {
        fc.pre(hex(key) !== hex(otherKey))
        const sealed = sealAesGcm(key, plaintext, associatedData)
        assertDecryptFailed(() => openAesGcm(key, sealed.slice(0, seed % sealed.length), associatedData))
        assertDecryptFailed(() => openAesGcm(otherKey, sealed, associatedData))
      }),
    )
  })

  it('draws a fresh nonce for every seal, so sealing the same plaintext twice differs', () => {
    const key = new Uint8Array(AES_KEY_BYTES).fill(7)
    const plaintext = new TextEncoder().encode('same plaintext')
    const associatedData = new TextEncoder().encode('same place')
    const first = sealAesGcm(key, plaintext, associatedData)
    const second = sealAesGcm(key, plaintext, associatedData)
    assert.notEqual(hex(first), hex(second))
    assert.notEqual(hex(first.subarray(0, GCM_NONCE_BYTES)), hex(second.subarray(0, GCM_NONCE_BYTES)))
    assert.deepEqual(openAesGcm(key, first, associatedData), plaintext)
    assert.deepEqual(openAesGcm(key, second, associatedData), plaintext)
    const nonces = new Set<string>()
    for (let i = 0; i < 2000; i++) nonces.add(hex(sealAesGcm(key, plaintext, associatedData).subarray(0, GCM_NONCE_BYTES)))
    assert.equal(nonces.size, 2000)
  })
})

describe('guards: wrong-typed and wrong-sized inputs', () => {
  const key = new Uint8Array(AES_KEY_BYTES).fill(1)
  const nonce = new Uint8Array(GCM_NONCE_BYTES).fill(2)
  const data = new Uint8Array([1, 2, 3])
  const tag = new Uint8Array(GCM_TAG_BYTES)
  const sealed = sealAesGcm(key, data, data)
  const notBytes: unknown[] = [
    '01'.repeat(32),
    'x',
    '',
    0,
    32,
    Number.NaN,
    1n,
    true,
    null,
    undefined,
    [],
    new Array(32).fill(0),
    {},
    { length: 32 },
    new ArrayBuffer(32),
    new DataView(new ArrayBuffer(32)),
    new Uint16Array(16),
    new Int8Array(32),
    new Uint8ClampedArray(32),
    Symbol('key'),
    () => key,
  ]
  type Call = (args: unknown[]) => unknown
  const seal = sealAesGcm as unknown as (...args: unknown[]) => unknown
  const open = openAesGcm as unknown as (...args: unknown[]) => unknown
  const encrypt = encryptAesGcm as unknown as (...args: unknown[]) => unknown
  const decrypt = decryptAesGcm as unknown as (...args: unknown[]) => unknown
  const functions: { name: string; call: Call; args: unknown[]; names: string[] }[] = [
    { name: 'sealAesGcm', call: (args) => seal(...args), args: [key, data, data], names: ['key', 'plaintext', 'associatedData'] },
    { name: 'openAesGcm', call: (args) => open(...args), args: [key, sealed, data], names: ['key', 'sealed', 'associatedData'] },
    { name: 'encryptAesGcm', call: (args) => encrypt(...args), args: [key, nonce, data, data], names: ['key', 'nonce', 'plaintext', 'associatedData'] },
    {
      name: 'decryptAesGcm',
      call: (args) => decrypt(...args),
      args: [key, nonce, data, tag, data],
      names: ['key', 'nonce', 'ciphertext', 'tag', 'associatedData'],
    },
  ]

  for (const fn of functions) {
    it(`${fn.name}: a non-Uint8Array in any position is a TypeError naming that argument`, () => {
      fn.names.forEach((name, position) => {
        for (const bad of notBytes) {
          const args = fn.args.slice()
          args[position] = bad
          assertTypeRefused(() => fn.call(args), name)
        }
      })
    })

    it(`${fn.name}: a key of 0, 16, 24, 31, 33 or 64 bytes is a RangeError`, () => {
      for (const length of [0, 16, 24, 31, 33, 64]) {
        assertLengthRefused(() => fn.call([new Uint8Array(length), ...fn.args.slice(1)]), 'key', AES_KEY_BYTES, length)
      }
    })
  }

  it('encryptAesGcm / decryptAesGcm: nonces of 0, 8, 11, 13, 16 bytes are RangeErrors', () => {
    for (const length of [0, 8, 11, 13, 16]) {
      assertLengthRefused(() => encryptAesGcm(key, new Uint8Array(length), data, data), 'nonce', GCM_NONCE_BYTES, length)
      assertLengthRefused(() => decryptAesGcm(key, new Uint8Array(length), data, tag, data), 'nonce', GCM_NONCE_BYTES, length)
    }
  })

  it('decryptAesGcm: tags of 0, 4, 8, 12, 15, 17 bytes are RangeErrors (16-byte tags only)', () => {
    for (const length of [0, 4, 8, 12, 15, 17]) {
      assertLengthRefused(() => decryptAesGcm(key, nonce, data, new Uint8Array(length), data), 'tag', GCM_TAG_BYTES, length)
    }
  })

  it('openAesGcm: a sealed value shorter than nonce + tag is COFFRE_DECRYPT_FAILED', () => {
    for (let length = 0; length < GCM_NONCE_BYTES + GCM_TAG_BYTES; length++) {
      assertDecryptFailed(() => openAesGcm(key, sealed.slice(0, length), data))
    }
  })
})
