/**
 * A share sealed to a guardian's secp256k1 public key (the compressed key registered in the
 * user's guardian pair) with ECIES from `eciesjs`: ephemeral secp256k1 ECDH, HKDF-SHA256 over
 * ephemeral public key ‖ shared point (both uncompressed), AES-256-GCM with a 16-byte nonce —
 * the library's default configuration, which eciespy (Python), ecies-go and ecies-rs also read.
 * The configuration is built here, not taken from the library's mutable global default.
 */
import { decrypt, encrypt } from 'eciesjs'
import { Config } from 'eciesjs/config'
import { CoffreError } from '../../errors.ts'
import { parsePublicKeyHex } from '../../derive/parsePublicKeyHex.ts'
import { assertBytes } from '../../wallet/assertBytes.ts'
import { assertLabels, b64u, checkOpenedShare, fromB64u, labelsOf } from './shareLabels.ts'

export const GUARDIAN_SHARE_FORMAT = 'coffre-share-ecies-secp256k1-v1'

export type GuardianSealedShare = {
  readonly format: typeof GUARDIAN_SHARE_FORMAT
  readonly backupId: string
  readonly index: number
  /** The guardian key it is sealed to (compressed, lowercase hex). */
  readonly guardianPublicKey: string
  /** base64url of eciesjs's payload: ephemeral public key (65) ‖ nonce (16) ‖ tag (16) ‖ ciphertext. */
  readonly ciphertext: string
}

const config = Object.freeze(Object.assign(new Config(), {
  ellipticCurve: 'secp256k1',
  isEphemeralKeyCompressed: false,
  isHkdfKeyCompressed: false,
  symmetricAlgorithm: 'aes-256-gcm',
  symmetricNonceLength: 16,
} satisfies Partial<Config>))

export function sealShareToGuardian(share: Uint8Array, guardianPublicKeyHex: string): GuardianSealedShare {
  const labels = labelsOf(share)
  const key = parsePublicKeyHex(guardianPublicKeyHex, 'guardianPublicKey')
  return { format: GUARDIAN_SHARE_FORMAT, ...labels, guardianPublicKey: key.hex, ciphertext: b64u(encrypt(key.bytes, share, config)) }
}

/** The guardian's side (or a test holding the guardian's key): 32-byte private key → the binary share. */
export function openShareAsGuardian(sealed: GuardianSealedShare, guardianPrivateKey: Uint8Array): Uint8Array {
  assertLabels(sealed)
  assertBytes(guardianPrivateKey, 'guardianPrivateKey', 32)
  let share: Uint8Array
  try {
    share = decrypt(guardianPrivateKey, fromB64u(sealed.ciphertext, 'ciphertext'), config)
  } catch {
    throw new CoffreError('COFFRE_DECRYPT_FAILED', 'the guardian share did not open (another guardian\'s key, or an altered envelope)')
  }
  return checkOpenedShare(share, sealed)
}
