/**
 * The Solana account of a BIP-39 seed at Phantom's default path m/44'/501'/0'/0' (SLIP-10 ed25519
 * over node:crypto HMAC, see hdDerivationEd25519.ts; hardened steps only).
 */
import { base58 } from '@scure/base'
import { assertBytes } from './assertBytes.ts'
import { ed25519PublicKeyFromSeed } from './ed25519Key.ts'
import { deriveSlip10Ed25519 } from './hdDerivationEd25519.ts'

export { deriveSlip10Ed25519, type Slip10Node } from './hdDerivationEd25519.ts'

export const SOLANA_DERIVATION_PATH = "m/44'/501'/0'/0'"

export interface SolanaAccount {
  /** The 32-byte Ed25519 seed (what Solana tools call the secret key's first half). */
  secretKey: Uint8Array
  publicKey: Uint8Array
  address: string
}

/** The 32-byte Ed25519 seed at m/44'/501'/0'/0' alone; the caller wipes it. */
export function deriveSolanaSecretKey(seed: Uint8Array): Uint8Array {
  assertBytes(seed, 'seed', 16, 32, 64)
  const node = deriveSlip10Ed25519(seed, SOLANA_DERIVATION_PATH)
  node.chainCode.fill(0)
  return node.key
}

export function deriveSolanaAccount(seed: Uint8Array): SolanaAccount {
  const secretKey = deriveSolanaSecretKey(seed)
  const publicKey = ed25519PublicKeyFromSeed(secretKey)
  return { secretKey, publicKey, address: base58.encode(publicKey) }
}

export function solanaPublicKeyFromSecretKey(secretKey32: Uint8Array): Uint8Array {
  return ed25519PublicKeyFromSeed(secretKey32)
}

export function solanaAddressFromSecretKey(secretKey32: Uint8Array): string {
  return base58.encode(ed25519PublicKeyFromSeed(secretKey32))
}
