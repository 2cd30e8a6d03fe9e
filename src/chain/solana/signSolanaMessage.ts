/** Ed25519 signature of arbitrary bytes (Solana's signMessage), base58-encoded, via node:crypto. */
import { sign } from 'node:crypto'
import { base58 } from '@scure/base'
import { assertBytes } from '../../wallet/assertBytes.ts'
import { ed25519PrivateKeyObject } from '../../wallet/ed25519Key.ts'

/** Raw 64-byte Ed25519 signature. */
export function signEd25519(secretKey32: Uint8Array, message: Uint8Array): Uint8Array {
  assertBytes(secretKey32, 'secretKey', 32)
  assertBytes(message, 'message')
  return new Uint8Array(sign(null, message, ed25519PrivateKeyObject(secretKey32)))
}

export function signSolanaMessage(secretKey32: Uint8Array, message: Uint8Array): string {
  return base58.encode(signEd25519(secretKey32, message))
}
