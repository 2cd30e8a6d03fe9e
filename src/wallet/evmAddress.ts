/**
 * EIP-55 address of a secp256k1 key: keccak256 of the uncompressed public key (native point
 * multiplication), last 20 bytes, checksummed by `ox` (wevm's base library under viem). These
 * small modules instead of the `viem` barrel keep worker start-up short (measured here: importing
 * `viem` ≈ 3.4 s under load vs `ox/Address` ≈ 0.2 s).
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { checksum } from 'ox/Address'
import { secp256k1 } from '../crypto/secp256k1.ts'
import { invalidInput } from '../errors.ts'
import { assertBytes } from './assertBytes.ts'

export type EvmAddress = `0x${string}`

export function evmAddressFromPrivateKey(privateKey: Uint8Array): EvmAddress {
  assertBytes(privateKey, 'privateKey', 32)
  if (!secp256k1.privateKeyVerify(privateKey)) throw invalidInput('privateKey is not a valid secp256k1 scalar (0 or ≥ n)')
  return evmAddressFromPublicKey(secp256k1.publicKeyCreate(privateKey, false))
}

/** Address of a 65-byte uncompressed (0x04‖x‖y) or 33-byte compressed public key. */
export function evmAddressFromPublicKey(publicKey: Uint8Array): EvmAddress {
  assertBytes(publicKey, 'publicKey', 33, 65)
  if (!secp256k1.publicKeyVerify(publicKey)) throw invalidInput('publicKey is not a point on secp256k1')
  const uncompressed = publicKey.length === 65 ? publicKey : secp256k1.publicKeyConvert(publicKey, false)
  const hash = keccak_256(uncompressed.subarray(1))
  return checksum(`0x${bytesToHex(hash.subarray(12))}`) as EvmAddress
}
