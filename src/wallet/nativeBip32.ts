/**
 * BIP-32 (bitcoinjs `bip32`) over libsecp256k1: every point multiplication and scalar addition on
 * the derivation path runs in native code. The adapter only translates between `bip32`'s
 * tiny-secp256k1 interface (null on failure, fresh outputs) and the `secp256k1` binding
 * (exceptions on failure, some calls mutate their first argument in place).
 */
import { BIP32Factory, type BIP32API, type TinySecp256k1Interface } from 'bip32'
import { secp256k1 } from '../crypto/secp256k1.ts'

function orNull<T>(compute: () => T): T | null {
  try {
    return compute()
  } catch {
    return null
  }
}

export const nativeSecp256k1Ecc: TinySecp256k1Interface = {
  isPoint: (point) => (point.length === 33 || point.length === 65) && secp256k1.publicKeyVerify(point),
  isPrivate: (scalar) => scalar.length === 32 && secp256k1.privateKeyVerify(scalar),
  pointFromScalar: (scalar, compressed = true) => orNull(() => secp256k1.publicKeyCreate(scalar, compressed)),
  pointAddScalar: (point, tweak, compressed = true) =>
    orNull(() => secp256k1.publicKeyTweakAdd(point, tweak, compressed)),
  // privateKeyTweakAdd mutates its first argument: work on a copy.
  privateAdd: (scalar, tweak) => orNull(() => secp256k1.privateKeyTweakAdd(Uint8Array.from(scalar), tweak)),
  privateNegate: (scalar) => secp256k1.privateKeyNegate(Uint8Array.from(scalar)),
  sign: (hash, scalar, extraEntropy) =>
    secp256k1.ecdsaSign(hash, scalar, extraEntropy === undefined ? {} : { data: extraEntropy }).signature,
  verify: (hash, point, signature, strict = false) => {
    // libsecp256k1 only accepts low-S signatures; tiny-secp256k1 accepts high-S unless strict.
    const candidate = strict ? signature : secp256k1.signatureNormalize(Uint8Array.from(signature))
    return orNull(() => secp256k1.ecdsaVerify(candidate, hash, point)) === true
  },
}

/** `bip32` bound to the native adapter (BIP32Factory checks the adapter against known answers). */
export const nativeBip32: BIP32API = BIP32Factory(nativeSecp256k1Ecc)
