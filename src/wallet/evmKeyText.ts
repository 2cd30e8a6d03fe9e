/**
 * EVM private keys as text, at the import/export edge: 64 hex digits, optional 0x, either case.
 * The scalar must be in [1, n−1].
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import { secp256k1 } from '../crypto/secp256k1.ts'
import { invalidInput } from '../errors.ts'
import { assertBytes, assertString } from './assertBytes.ts'

export function parseEvmPrivateKey(text: string): Uint8Array {
  assertString(text, 'EVM private key')
  const trimmed = text.trim()
  const digits = /^0x/iu.test(trimmed) ? trimmed.slice(2) : trimmed
  if (!/^[0-9a-f]*$/iu.test(digits)) throw invalidInput('an EVM private key is hexadecimal (0-9, a-f), optionally prefixed with 0x')
  if (digits.length !== 64) throw invalidInput(`an EVM private key is 64 hex digits (32 bytes), got ${digits.length}`)
  const privateKey = hexToBytes(digits)
  if (!secp256k1.privateKeyVerify(privateKey)) {
    privateKey.fill(0)
    throw invalidInput('the EVM private key is out of range (it must be between 1 and the secp256k1 order n − 1)')
  }
  return privateKey
}

export function encodeEvmPrivateKey(privateKey: Uint8Array): `0x${string}` {
  assertBytes(privateKey, 'privateKey', 32)
  if (!secp256k1.privateKeyVerify(privateKey)) throw invalidInput('privateKey is not a valid secp256k1 scalar (0 or ≥ n)')
  return `0x${bytesToHex(privateKey)}`
}
