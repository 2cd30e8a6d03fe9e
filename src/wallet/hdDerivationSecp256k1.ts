/**
 * BIP-32 private derivation (CKDpriv) on secp256k1: HMAC-SHA512 from node:crypto, scalar addition
 * and point multiplication in libsecp256k1. A parent's public key is computed only for a
 * non-hardened step, the one place the spec hashes it. Every intermediate (I, keys, chain codes,
 * hashed data) is wiped as soon as the next level exists.
 * Test oracles: BIP-32 vectors 1–3 and bitcoinjs `bip32` over @noble/curves (test/wallet).
 */
import { createHmac } from 'node:crypto'
import { secp256k1 } from '../crypto/secp256k1.ts'
import { invalidInput } from '../errors.ts'
import { assertBytes } from './assertBytes.ts'
import { HARDENED_OFFSET, isHardened, parseDerivationPath } from './hdPath.ts'

export interface Bip32Node {
  privateKey: Uint8Array
  chainCode: Uint8Array
}

const masterHmacKey = Buffer.from('Bitcoin seed', 'utf8')

/** Copies I = IL‖IR out as a node, then wipes I. */
function nodeFromHmac(I: Buffer, privateKey: Uint8Array): Bip32Node {
  const node = { privateKey, chainCode: new Uint8Array(I.subarray(32)) }
  I.fill(0)
  return node
}

function wipeNode(node: Bip32Node): void {
  node.privateKey.fill(0)
  node.chainCode.fill(0)
}

function masterNode(seed: Uint8Array): Bip32Node {
  const I = createHmac('sha512', masterHmacKey).update(seed).digest()
  if (!secp256k1.privateKeyVerify(I.subarray(0, 32))) {
    I.fill(0)
    throw invalidInput('this seed has no valid BIP-32 master key (IL is 0 or ≥ n); use another seed')
  }
  return nodeFromHmac(I, new Uint8Array(I.subarray(0, 32)))
}

/**
 * CKDpriv(parent, index), or undefined when parse256(IL) ≥ n or the child key is 0 (BIP-32: the
 * caller proceeds with the next index). `parentPublicKey` (33 bytes) is required for a
 * non-hardened index. The parent is left untouched.
 */
export function childNode(parent: Bip32Node, index: number, parentPublicKey?: Uint8Array): Bip32Node | undefined {
  assertBytes(parent.privateKey, 'parent.privateKey', 32)
  assertBytes(parent.chainCode, 'parent.chainCode', 32)
  if (!Number.isInteger(index) || index < 0 || index >= 2 * HARDENED_OFFSET) throw invalidInput('a child index is an integer from 0 to 2^32 − 1')
  const data = new Uint8Array(37)
  if (isHardened(index)) data.set(parent.privateKey, 1)
  else if (parentPublicKey?.length === 33) data.set(parentPublicKey, 0)
  else throw new TypeError('a non-hardened step needs the 33-byte parent public key')
  new DataView(data.buffer).setUint32(33, index)
  const I = createHmac('sha512', parent.chainCode).update(data).digest()
  data.fill(0)
  const privateKey = new Uint8Array(parent.privateKey)
  try {
    // Mutates privateKey (our copy); throws exactly when IL ≥ n or kpar + IL ≡ 0 (mod n).
    secp256k1.privateKeyTweakAdd(privateKey, I.subarray(0, 32))
  } catch {
    privateKey.fill(0)
    I.fill(0)
    return undefined
  }
  return nodeFromHmac(I, privateKey)
}

function derivedChild(parent: Bip32Node, index: number): Bip32Node {
  const parentPublicKey = isHardened(index) ? undefined : secp256k1.publicKeyCreate(parent.privateKey, true)
  try {
    for (let candidate = index; ; candidate++) {
      const child = childNode(parent, candidate, parentPublicKey)
      if (child !== undefined) return child
      // Probability ~2^-127 per step. Never let the next index cross into the other half.
      if (isHardened(candidate + 1) !== isHardened(index) || candidate + 1 >= 2 * HARDENED_OFFSET) {
        throw invalidInput('BIP-32 derivation ran out of indices at this level')
      }
    }
  } finally {
    parentPublicKey?.fill(0)
  }
}

/** The node at `path` (e.g. m/44'/60'/0'/0/0) of a 16–64 byte seed; the caller wipes it. */
export function deriveBip32Secp256k1(seed: Uint8Array, path: string): Bip32Node {
  assertBytes(seed, 'seed')
  if (seed.length < 16 || seed.length > 64) throw invalidInput('seed must be 16 to 64 bytes long')
  const indices = parseDerivationPath(path)
  let node = masterNode(seed)
  try {
    for (const index of indices) {
      const child = derivedChild(node, index)
      wipeNode(node)
      node = child
    }
  } catch (error) {
    wipeNode(node)
    throw error
  }
  return node
}
