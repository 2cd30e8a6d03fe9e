/** fast-check arbitraries shared by this folder's tests (test support; production code never imports it). */
import fc from 'fast-check'
import { SECP256K1_ORDER } from '../../src/derive/curveOrder.ts'

/** Any valid private key as 64 lowercase hex: 1 … n − 1, with the edges drawn often. */
export const privateKeyHex = fc
  .oneof(
    fc.bigInt({ min: 1n, max: SECP256K1_ORDER - 1n }),
    fc.constantFrom(1n, 2n, SECP256K1_ORDER - 1n, SECP256K1_ORDER - 2n, 2n ** 255n),
  )
  .map((value) => value.toString(16).padStart(64, '0'))

/** Derivation indices: small, 32-bit, and up to 2^53 − 1. */
export const derivationIndex = fc.oneof(fc.nat({ max: 1000 }), fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER), fc.maxSafeNat())
