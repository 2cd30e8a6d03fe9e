/**
 * Solana secret keys as text, at the import/export edge. Phantom exports base58 of the 64 bytes
 * seed‖public key; the Solana CLI writes the same 64 bytes as a JSON array of numbers. Both carry
 * the public key, which must match the one the seed derives.
 */
import { timingSafeEqual } from 'node:crypto'
import { base58 } from '@scure/base'
import { invalidInput } from '../errors.ts'
import { assertString } from './assertBytes.ts'
import { ed25519PublicKeyFromSeed } from './ed25519Key.ts'

function fromJsonArray(text: string): Uint8Array {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw invalidInput('the Solana secret key looks like JSON but does not parse')
  }
  if (!Array.isArray(parsed)) throw invalidInput('a Solana CLI secret key is a JSON array of 64 numbers')
  if (parsed.length !== 64) throw invalidInput(`a Solana CLI secret key has 64 numbers, got ${parsed.length}`)
  if (!parsed.every((n): n is number => Number.isInteger(n) && n >= 0 && n <= 255)) {
    throw invalidInput('every number of a Solana CLI secret key is an integer from 0 to 255')
  }
  return Uint8Array.from(parsed)
}

function fromBase58(text: string): Uint8Array {
  let bytes: Uint8Array
  try {
    bytes = base58.decode(text)
  } catch {
    throw invalidInput('the Solana secret key is neither base58 nor a JSON array')
  }
  if (bytes.length !== 64) {
    bytes.fill(0)
    throw invalidInput(`a base58 Solana secret key is 64 bytes (seed and public key), got ${bytes.length}`)
  }
  return bytes
}

/** Returns the 32-byte Ed25519 seed after checking the embedded public key. */
export function parseSolanaSecretKey(text: string): Uint8Array {
  assertString(text, 'Solana secret key')
  const trimmed = text.trim()
  const keypair = trimmed.startsWith('[') ? fromJsonArray(trimmed) : fromBase58(trimmed)
  const secretKey = keypair.slice(0, 32)
  const embedded = keypair.subarray(32)
  try {
    if (!timingSafeEqual(ed25519PublicKeyFromSeed(secretKey), embedded)) {
      secretKey.fill(0)
      throw invalidInput('the public key half of the Solana secret key does not match its seed half')
    }
    return secretKey
  } finally {
    keypair.fill(0)
  }
}

function keypairBytes(secretKey32: Uint8Array): Uint8Array {
  const publicKey = ed25519PublicKeyFromSeed(secretKey32)
  const keypair = new Uint8Array(64)
  keypair.set(secretKey32, 0)
  keypair.set(publicKey, 32)
  return keypair
}

/** base58(seed‖public key), the form Phantom imports. */
export function encodeSolanaSecretKey(secretKey32: Uint8Array): string {
  const keypair = keypairBytes(secretKey32)
  try {
    return base58.encode(keypair)
  } finally {
    keypair.fill(0)
  }
}

/** The Solana CLI's id.json form: a JSON array of the 64 bytes seed‖public key. */
export function encodeSolanaSecretKeyJson(secretKey32: Uint8Array): string {
  const keypair = keypairBytes(secretKey32)
  try {
    return JSON.stringify(Array.from(keypair))
  } finally {
    keypair.fill(0)
  }
}
