import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { describe, it } from 'node:test'
import { sha256 } from '@noble/hashes/sha2.js'
import { createBase58check } from '@scure/base'
import { derivePath as oracleSlip10, getMasterKeyFromSeed } from 'ed25519-hd-key'
import fc from 'fast-check'
import { secp256k1 } from '../../src/crypto/secp256k1.ts'
import { isCoffreError } from '../../src/errors.ts'
import { ed25519PublicKeyFromSeed } from '../../src/wallet/ed25519Key.ts'
import { deriveSlip10Ed25519 } from '../../src/wallet/hdDerivationEd25519.ts'
import { childNode, deriveBip32Secp256k1 } from '../../src/wallet/hdDerivationSecp256k1.ts'
import { HARDENED_OFFSET, parseDerivationPath } from '../../src/wallet/hdPath.ts'
import { bip32Oracle } from './bip32Oracle.ts'
import { fromHex, hex, loadVectors } from './vectors.ts'

interface Bip32Vectors { vectors: { seed: string; chains: { path: string; xpub: string; xprv: string }[] }[] }
interface Slip10Vectors { vectors: { seed: string; chains: { path: string; chainCode: string; private: string; public: string }[] }[] }

const bip32Vectors = loadVectors<Bip32Vectors>('bip32.json')
const slip10Vectors = loadVectors<Slip10Vectors>('slip10-ed25519.json')
const base58check = createBase58check(sha256)
const invalid = (e: unknown): boolean => isCoffreError(e) && e.code === 'COFFRE_INVALID_INPUT'

/** Extended key (78 bytes): version 4, depth 1, fingerprint 4, child number 4, chain code 32, key 33. */
function decodeExtendedKey(text: string): { chainCode: string; key: string } {
  const bytes = base58check.decode(text)
  assert.equal(bytes.length, 78)
  return { chainCode: hex(bytes.subarray(13, 45)), key: hex(bytes.subarray(45)) }
}

const seedArb = fc.uint8Array({ minLength: 16, maxLength: 64 })
const indexArb = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: HARDENED_OFFSET - 1 }))
const stepArb = fc.record({ index: indexArb, hardened: fc.boolean() })
const pathText = (steps: { index: number; hardened: boolean }[]): string =>
  ['m', ...steps.map(({ index, hardened }) => `${index}${hardened ? "'" : ''}`)].join('/')

describe('BIP-32 test vectors 1–3 through deriveBip32Secp256k1', () => {
  for (const [v, vector] of bip32Vectors.vectors.entries()) {
    for (const chain of vector.chains) {
      it(`vector ${v + 1} ${chain.path}`, () => {
        const node = deriveBip32Secp256k1(fromHex(vector.seed), chain.path)
        const xprv = decodeExtendedKey(chain.xprv)
        const xpub = decodeExtendedKey(chain.xpub)
        assert.equal(`00${hex(node.privateKey)}`, xprv.key)
        assert.equal(hex(node.chainCode), xprv.chainCode)
        assert.equal(hex(secp256k1.publicKeyCreate(node.privateKey, true)), xpub.key)
      })
    }
  }
})

describe('BIP-32 against bitcoinjs bip32 over @noble/curves (property)', () => {
  it('random seeds (16–64 bytes) and mixed paths of depth ≤ 6', () => {
    fc.assert(
      fc.property(seedArb, fc.array(stepArb, { maxLength: 6 }), (seed, steps) => {
        const path = pathText(steps)
        const mine = deriveBip32Secp256k1(seed, path)
        const master = bip32Oracle.fromSeed(Buffer.from(seed))
        const expected = steps.length === 0 ? master : master.derivePath(path)
        assert.equal(hex(mine.privateKey), hex(expected.privateKey ?? new Uint8Array()), path)
        assert.equal(hex(mine.chainCode), hex(expected.chainCode), path)
        // Fresh 32-byte buffers, not views into a wiped HMAC output or a shared pool.
        assert.equal(mine.privateKey.buffer.byteLength, 32)
        assert.equal(mine.chainCode.buffer.byteLength, 32)
      }),
      { numRuns: 200 },
    )
  })
})

describe('BIP-32 child step', () => {
  const parent = deriveBip32Secp256k1(new Uint8Array(32).fill(1), "m/44'")
  it('leaves the parent untouched (libsecp256k1 tweak-add mutates its first argument)', () => {
    const before = hex(parent.privateKey) + hex(parent.chainCode)
    const publicKey = secp256k1.publicKeyCreate(parent.privateKey, true)
    assert.ok(childNode(parent, 7, publicKey))
    assert.ok(childNode(parent, HARDENED_OFFSET + 7))
    assert.equal(hex(parent.privateKey) + hex(parent.chainCode), before)
  })
  it('returns no child when kpar + IL ≡ 0 (mod n), so the caller moves on to the next index', () => {
    // Non-hardened data is serP(Kpar) ‖ i: fix Kpar, compute IL, choose kpar = n − IL.
    const publicKey = secp256k1.publicKeyCreate(parent.privateKey, true)
    const data = Buffer.concat([publicKey, Buffer.from([0, 0, 0, 3])])
    const IL = createHmac('sha512', parent.chainCode).update(data).digest().subarray(0, 32)
    const negated = secp256k1.privateKeyNegate(new Uint8Array(IL))
    const crafted = { privateKey: negated, chainCode: parent.chainCode }
    assert.equal(childNode(crafted, 3, publicKey), undefined)
    assert.equal(hex(crafted.privateKey), hex(negated), 'the parent key survives a failed step')
    assert.ok(childNode(crafted, 4, publicKey))
  })
  it('requires the parent public key for a non-hardened index, and checks its arguments', () => {
    assert.throws(() => childNode(parent, 0), TypeError)
    for (const index of [-1, 2 ** 32, 1.5, Number.NaN]) assert.throws(() => childNode(parent, index), invalid, String(index))
    assert.throws(() => childNode({ ...parent, chainCode: new Uint8Array(31) }, HARDENED_OFFSET), invalid)
    assert.throws(() => childNode({ ...parent, privateKey: 'key' as unknown as Uint8Array }, HARDENED_OFFSET), TypeError)
  })
})

describe('SLIP-10 ed25519 test vectors through deriveSlip10Ed25519', () => {
  for (const [v, vector] of slip10Vectors.vectors.entries()) {
    for (const chain of vector.chains) {
      it(`vector ${v + 1} ${chain.path}`, () => {
        const node = deriveSlip10Ed25519(fromHex(vector.seed), chain.path)
        assert.equal(hex(node.key), chain.private)
        assert.equal(hex(node.chainCode), chain.chainCode)
        assert.equal(`00${hex(ed25519PublicKeyFromSeed(node.key))}`, chain.public)
      })
    }
  }
})

describe('SLIP-10 ed25519 against ed25519-hd-key (property)', () => {
  it('random seeds (16–64 bytes) and hardened paths of depth ≤ 6', () => {
    fc.assert(
      fc.property(seedArb, fc.array(indexArb, { maxLength: 6 }), (seed, indices) => {
        const path = pathText(indices.map((index) => ({ index, hardened: true })))
        const mine = deriveSlip10Ed25519(seed, path)
        const expected = indices.length === 0 ? getMasterKeyFromSeed(hex(seed)) : oracleSlip10(path, hex(seed))
        assert.equal(hex(mine.key), hex(expected.key), path)
        assert.equal(hex(mine.chainCode), hex(expected.chainCode), path)
      }),
      { numRuns: 200 },
    )
  })
})

describe('derivation paths and guards', () => {
  it('parses hardened and non-hardened indices', () => {
    assert.deepEqual(parseDerivationPath("m/44'/60'/0'/0/0"), [44 + HARDENED_OFFSET, 60 + HARDENED_OFFSET, HARDENED_OFFSET, 0, 0])
    assert.deepEqual(parseDerivationPath('m'), [])
    assert.deepEqual(parseDerivationPath("m/2147483647'/2147483647"), [0xffffffff, 0x7fffffff])
  })
  it('rejects malformed paths on both curves', () => {
    const seed = new Uint8Array(32)
    for (const path of ["44'/60'", "m/2147483648'", 'm/2147483648', "m/-1'", 'm/x', 'm/', "m/1''", 'm/0h', '']) {
      assert.throws(() => deriveBip32Secp256k1(seed, path), invalid, path)
      assert.throws(() => deriveSlip10Ed25519(seed, path), invalid, path)
    }
    assert.throws(() => deriveSlip10Ed25519(seed, "m/44'/501'/0"), invalid)
    assert.throws(() => deriveBip32Secp256k1(seed, 7 as unknown as string), TypeError)
  })
  it('rejects seeds that are not 16–64 bytes, and non-bytes', () => {
    for (const length of [0, 15, 65]) {
      assert.throws(() => deriveBip32Secp256k1(new Uint8Array(length), 'm'), invalid)
      assert.throws(() => deriveSlip10Ed25519(new Uint8Array(length), 'm'), invalid)
    }
    assert.throws(() => deriveBip32Secp256k1('00'.repeat(32) as unknown as Uint8Array, 'm'), TypeError)
    assert.throws(() => deriveSlip10Ed25519([1, 2] as unknown as Uint8Array, 'm'), TypeError)
  })
})
