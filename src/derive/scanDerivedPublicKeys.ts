import { deriveChildPublicKeyBytes } from './deriveChildPublicKey.ts'

/** True when two byte arrays hold the same bytes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * The seed's linear check: derives derived(from), derived(from + 1), … derived(to − 1) one by one and
 * returns the first index whose compressed public key equals `key`, or −1. Cost: one HMAC and one
 * scalar multiplication per index.
 */
export function scanDerivedPublicKeys(parentPrivateKey: Uint8Array, key: Uint8Array, from: number, to: number): number {
  for (let index = from; index < to; index++) {
    if (sameBytes(deriveChildPublicKeyBytes(parentPrivateKey, index), key)) return index
  }
  return -1
}
