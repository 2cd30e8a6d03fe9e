/**
 * The test oracle for BIP-32: bitcoinjs `bip32` (JS HMAC, its own CKD code) over @noble/curves, so
 * that neither the derivation code nor the curve arithmetic is shared with src/wallet's
 * node:crypto + libsecp256k1 derivation it checks. BIP32Factory runs its own known-answer checks
 * on this adapter before returning.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { BIP32Factory, type BIP32API, type TinySecp256k1Interface } from 'bip32'

const { Point } = secp256k1
const Fn = Point.Fn

function orNull<T>(compute: () => T): T | null {
  try {
    return compute()
  } catch {
    return null
  }
}

const nobleEcc: TinySecp256k1Interface = {
  isPoint: (point) => orNull(() => Point.fromBytes(point)) !== null,
  isPrivate: (scalar) => secp256k1.utils.isValidSecretKey(scalar),
  pointFromScalar: (scalar, compressed = true) => orNull(() => secp256k1.getPublicKey(scalar, compressed)),
  pointAddScalar: (point, tweak, compressed = true) =>
    orNull(() => Point.fromBytes(point).add(Point.BASE.multiplyUnsafe(Fn.fromBytes(tweak))).toBytes(compressed)),
  privateAdd: (scalar, tweak) =>
    orNull(() => {
      const sum = Fn.add(Fn.fromBytes(scalar), Fn.fromBytes(tweak))
      return Fn.is0(sum) ? null : Fn.toBytes(sum)
    }),
  sign: (hash, scalar) => secp256k1.sign(hash, scalar, { prehash: false }),
  verify: (hash, point, signature, strict = false) =>
    secp256k1.verify(signature, hash, point, { prehash: false, lowS: strict }),
}

export const bip32Oracle: BIP32API = BIP32Factory(nobleEcc)
