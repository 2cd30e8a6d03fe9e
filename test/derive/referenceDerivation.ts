/**
 * An independent pure-JS implementation of seed 004's derivation — @noble/hashes HMAC-SHA256 and
 * @noble/curves secp256k1, no node:crypto, no libsecp256k1 — used by the tests as an oracle and by
 * bench/derive.ts as the peer. Production paths never import it. Inputs are assumed valid.
 */
import { secp256k1 as noble } from '@noble/curves/secp256k1.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js'

const ORDER = noble.Point.Fn.ORDER

export function referenceChildKeyPair(parentPrivateKeyHex: string, index: number): { privateKey: string; publicKey: string } {
  const mac = hmac(sha256, hexToBytes(parentPrivateKeyHex), utf8ToBytes(`userwallet-derive-v1-${index}`))
  const scalar = (BigInt(`0x${bytesToHex(mac)}`) % (ORDER - 1n)) + 1n
  const privateKey = scalar.toString(16).padStart(64, '0')
  return { privateKey, publicKey: bytesToHex(noble.getPublicKey(hexToBytes(privateKey), true)) }
}

export function referenceMainPublicKey(privateKeyHex: string): string {
  return bytesToHex(noble.getPublicKey(hexToBytes(privateKeyHex), true))
}

/** The seed's linear membership check, in pure JS. */
export function referenceFind(identityPrivateKeyHex: string, publicKeyHex: string, maxDerived: number): 'main' | number | null {
  const key = publicKeyHex.toLowerCase()
  if (referenceMainPublicKey(identityPrivateKeyHex) === key) return 'main'
  for (let index = 0; index < maxDerived; index++) {
    if (referenceChildKeyPair(identityPrivateKeyHex, index).publicKey === key) return index
  }
  return null
}
