import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { base58 } from '@scure/base'
import { Keypair } from '@solana/web3.js'
import fc from 'fast-check'
import { isCoffreError } from '../../src/errors.ts'
import { encodeEvmPrivateKey, parseEvmPrivateKey } from '../../src/wallet/evmKeyText.ts'
import { generateIdentityKey } from '../../src/wallet/identityKey.ts'
import { encodeSolanaSecretKey, encodeSolanaSecretKeyJson, parseSolanaSecretKey } from '../../src/wallet/solanaKeyText.ts'
import { secp256k1 } from '../../src/crypto/secp256k1.ts'
import { hex } from './vectors.ts'

const validKey = '1ab42cc412b618bdea3a599e3c9bae199ebf030895b039e9db1e30dafb12b727'
const order = 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'

function invalid(pattern: RegExp) {
  return (error: unknown) => isCoffreError(error) && error.code === 'COFFRE_INVALID_INPUT' && pattern.test(error.message)
}

describe('parseEvmPrivateKey', () => {
  it('accepts 64 hex digits with or without 0x, either case, surrounding whitespace', () => {
    for (const text of [validKey, `0x${validKey}`, `0X${validKey.toUpperCase()}`, `  ${validKey}\n`]) {
      assert.equal(hex(parseEvmPrivateKey(text)), validKey)
    }
  })
  it('rejects wrong length, non-hex, zero and ≥ n, without echoing the key', () => {
    const cases: [string, RegExp][] = [
      [validKey.slice(2), /64 hex digits.*got 62/],
      [`${validKey}00`, /got 66/],
      ['', /got 0/],
      [`${validKey.slice(0, 63)}g`, /hexadecimal/],
      [`0x 1${validKey.slice(2)}`, /hexadecimal/],
      ['0'.repeat(64), /out of range/],
      [order, /out of range/],
      ['f'.repeat(64), /out of range/],
    ]
    for (const [text, pattern] of cases) {
      assert.throws(() => parseEvmPrivateKey(text), (e) => invalid(pattern)(e) && !(e as Error).message.includes(validKey.slice(4, 20)), text)
    }
    assert.throws(() => parseEvmPrivateKey(7 as unknown as string), TypeError)
  })
  it('accepts n − 1 and 1', () => {
    assert.equal(hex(parseEvmPrivateKey(`${order.slice(0, 63)}0`)), `${order.slice(0, 63)}0`)
    assert.equal(hex(parseEvmPrivateKey('0'.repeat(63) + '1')), '0'.repeat(63) + '1')
  })
  it('round-trips encode → parse (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => secp256k1.privateKeyVerify(k)), (k) => {
        const text = encodeEvmPrivateKey(k)
        assert.match(text, /^0x[0-9a-f]{64}$/)
        assert.equal(hex(parseEvmPrivateKey(text)), hex(k))
      }),
      { numRuns: 200 },
    )
  })
})

describe('parseSolanaSecretKey', () => {
  const keypair = Keypair.fromSeed(new Uint8Array(32).fill(7))
  const seedHex = hex(keypair.secretKey.subarray(0, 32))
  it('accepts Phantom base58 and the Solana CLI JSON array', () => {
    assert.equal(hex(parseSolanaSecretKey(base58.encode(keypair.secretKey))), seedHex)
    assert.equal(hex(parseSolanaSecretKey(JSON.stringify(Array.from(keypair.secretKey)))), seedHex)
    assert.equal(hex(parseSolanaSecretKey(` ${JSON.stringify(Array.from(keypair.secretKey), null, 2)}\n`)), seedHex)
  })
  it('rejects bad base58, wrong lengths, bad JSON and a mismatched public key', () => {
    const mismatched = Uint8Array.from(keypair.secretKey)
    mismatched[40] = (mismatched[40] ?? 0) ^ 1
    const numbers = Array.from(keypair.secretKey)
    const cases: [string, RegExp][] = [
      [`${base58.encode(keypair.secretKey).slice(0, -1)}0`, /neither base58 nor a JSON array/],
      ['Il0O', /neither base58/],
      [base58.encode(keypair.secretKey.subarray(0, 32)), /64 bytes .* got 32/],
      [base58.encode(new Uint8Array(65).fill(1)), /got 65/],
      [base58.encode(mismatched), /does not match/],
      [JSON.stringify(numbers.slice(0, 63)), /64 numbers, got 63/],
      [JSON.stringify([...numbers.slice(0, 63), 256]), /0 to 255/],
      [JSON.stringify([...numbers.slice(0, 63), -1]), /0 to 255/],
      [JSON.stringify([...numbers.slice(0, 63), 1.5]), /0 to 255/],
      [JSON.stringify([...numbers.slice(0, 63), '1']), /0 to 255/],
      [JSON.stringify(Array.from(mismatched)), /does not match/],
      ['[1, 2,', /does not parse/],
      ['', /neither base58|got 0/],
    ]
    for (const [text, pattern] of cases) assert.throws(() => parseSolanaSecretKey(text), invalid(pattern), text.slice(0, 20))
  })
  it('round-trips encode → parse in both forms, and matches web3.js (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const base58Text = encodeSolanaSecretKey(seed)
        assert.equal(base58Text, base58.encode(Keypair.fromSeed(seed).secretKey))
        assert.equal(hex(parseSolanaSecretKey(base58Text)), hex(seed))
        assert.equal(hex(parseSolanaSecretKey(encodeSolanaSecretKeyJson(seed))), hex(seed))
      }),
      { numRuns: 200 },
    )
  })
})

describe('generateIdentityKey', () => {
  it('gives a valid scalar and its compressed public key', () => {
    const a = generateIdentityKey()
    const b = generateIdentityKey()
    assert.ok(secp256k1.privateKeyVerify(a.privateKey))
    assert.equal(a.publicKey.length, 33)
    assert.equal(hex(a.publicKey), hex(secp256k1.publicKeyCreate(a.privateKey, true)))
    assert.notEqual(hex(a.privateKey), hex(b.privateKey))
  })
})
