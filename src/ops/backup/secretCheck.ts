/**
 * What every share carries about the secret and the set, so a reconstruction is never returned
 * unchecked: an 8-byte HMAC of the set's identity keyed by the secret itself. It reveals nothing
 * usable about a 256-bit secret, and only the true secret reproduces it.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

export const secretCheckBytes = 8

export function secretCheck(secret: Uint8Array, setId: Uint8Array, threshold: number): Uint8Array {
  const mac = createHmac('sha256', secret).update('coffre-backup-check-v1').update(setId).update(Uint8Array.of(threshold)).digest()
  return new Uint8Array(mac.subarray(0, secretCheckBytes))
}

export const secretCheckMatches = (secret: Uint8Array, setId: Uint8Array, threshold: number, expected: Uint8Array): boolean =>
  timingSafeEqual(secretCheck(secret, setId, threshold), expected)

/** The 2-byte vault tag that opens a set id made for `vaultId`, so shares of another vault are named as such. */
export const vaultTag = (vaultId: string): Uint8Array =>
  new Uint8Array(createHash('sha256').update('coffre-backup-vault-v1').update(vaultId, 'utf8').digest().subarray(0, 2))
