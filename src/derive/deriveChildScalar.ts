import { createHmac } from 'node:crypto'
import { reduceMacToScalar } from './reduceMacToScalar.ts'

/** Domain-separation prefix of the seed's scheme; the index follows in decimal. */
export const DERIVATION_MESSAGE_PREFIX = 'userwallet-derive-v1-'

/**
 * mac = HMAC-SHA256(key = the parent's 32 raw bytes, message = UTF-8 "userwallet-derive-v1-" + index),
 * then reduced to a scalar in [1, n − 1]. Inputs are assumed already validated (internal core);
 * returns a fresh 32-byte child private key the caller wipes.
 */
export function deriveChildScalar(parentPrivateKey: Uint8Array, index: number): Uint8Array {
  const mac = createHmac('sha256', parentPrivateKey).update(`${DERIVATION_MESSAGE_PREFIX}${index}`, 'utf8').digest()
  try {
    return reduceMacToScalar(mac)
  } finally {
    mac.fill(0)
  }
}
