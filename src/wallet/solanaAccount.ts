/**
 * The Solana account of a BIP-39 seed at Phantom's default path m/44'/501'/0'/0' (SLIP-10 ed25519:
 * hardened steps only). `ed25519-hd-key` computes the HMAC chain; we walk it step by step to wipe
 * each intermediate key and chain code. Its API takes the seed as a hex string, which cannot be
 * wiped: that copy lives until the garbage collector reclaims it.
 */
import { base58 } from '@scure/base'
import { CKDPriv, getMasterKeyFromSeed } from 'ed25519-hd-key'
import { invalidInput } from '../errors.ts'
import { assertBytes, assertString } from './assertBytes.ts'
import { ed25519PublicKeyFromSeed } from './ed25519Key.ts'

export const SOLANA_DERIVATION_PATH = "m/44'/501'/0'/0'"
const HARDENED = 0x80000000

export interface SolanaAccount {
  /** The 32-byte Ed25519 seed (what Solana tools call the secret key's first half). */
  secretKey: Uint8Array
  publicKey: Uint8Array
  address: string
}

export interface Slip10Node {
  key: Uint8Array
  chainCode: Uint8Array
}

function parseHardenedPath(path: string): number[] {
  assertString(path, 'path')
  const segments = path.split('/')
  if (segments[0] !== 'm') throw invalidInput('a derivation path starts with "m"')
  return segments.slice(1).map((segment) => {
    const match = /^(\d{1,10})'$/u.exec(segment)
    const index = match?.[1] === undefined ? Number.NaN : Number(match[1])
    if (!(index < HARDENED)) throw invalidInput(`SLIP-10 ed25519 only derives hardened indices below 2^31, got "${segment}"`)
    return index + HARDENED
  })
}

/** SLIP-10 ed25519 private derivation of `seed` along a hardened path such as m/44'/501'/0'/0'. */
export function deriveSlip10Ed25519(seed: Uint8Array, path: string): Slip10Node {
  assertBytes(seed, 'seed')
  if (seed.length < 16 || seed.length > 64) throw invalidInput('seed must be 16 to 64 bytes long')
  const indices = parseHardenedPath(path)
  let node: Slip10Node = getMasterKeyFromSeed(Buffer.from(seed.buffer, seed.byteOffset, seed.byteLength).toString('hex'))
  for (const index of indices) {
    const child = CKDPriv(node, index)
    node.key.fill(0)
    node.chainCode.fill(0)
    node = child
  }
  return node
}

export function deriveSolanaAccount(seed: Uint8Array): SolanaAccount {
  assertBytes(seed, 'seed', 16, 32, 64)
  const node = deriveSlip10Ed25519(seed, SOLANA_DERIVATION_PATH)
  node.chainCode.fill(0)
  const secretKey = node.key
  const publicKey = ed25519PublicKeyFromSeed(secretKey)
  return { secretKey, publicKey, address: base58.encode(publicKey) }
}

export function solanaPublicKeyFromSecretKey(secretKey32: Uint8Array): Uint8Array {
  return ed25519PublicKeyFromSeed(secretKey32)
}

export function solanaAddressFromSecretKey(secretKey32: Uint8Array): string {
  return base58.encode(ed25519PublicKeyFromSeed(secretKey32))
}
