/**
 * A share sealed under a passphrase: scrypt (RFC 7914, node:crypto — OpenSSL's implementation)
 * derives an AES-256-GCM key (src/crypto/aead.ts); the KDF parameters travel in the envelope and
 * in the associated data.
 *
 * Why scrypt and these numbers: Argon2id is the first choice of OWASP's password-storage sheet, but
 * on Node 20 it needs either a native addon (`argon2`) or pure-JS code (@noble/hashes' argon2, ~10×
 * slower, so a weaker setting for the same wait); node:crypto has scrypt built in, memory-hard and
 * maintained with OpenSSL. Parameters: N = 2^17, r = 8, p = 1 (128 MiB, OWASP's recommended scrypt
 * setting), 16-byte random salt, 32-byte key. Opening accepts only N = 2^15…2^20, r = 8…16, p = 1…4,
 * so a crafted envelope can neither downgrade the work below what Coffre makes nor ask for
 * gigabytes. The passphrase is NFKC-normalised and must have at least 12 characters: one sealed
 * share plus one other share restores the wallet, so the passphrase is what stands between an
 * attacker holding the S3 share and the user's envelope.
 */
import { randomBytes, scrypt } from 'node:crypto'
import { openAesGcm, sealAesGcm } from '../../crypto/aead.ts'
import { invalidInput } from '../../errors.ts'
import { assertLabels, b64u, checkOpenedShare, fromB64u, labelBytes, labelsOf } from './shareLabels.ts'

export const PASSPHRASE_SHARE_FORMAT = 'coffre-share-scrypt-v1'
export const MIN_PASSPHRASE_CHARACTERS = 12

export type ScryptParams = { readonly name: 'scrypt'; readonly logN: number; readonly r: number; readonly p: number; readonly salt: string }

export type PassphraseSealedShare = {
  readonly format: typeof PASSPHRASE_SHARE_FORMAT
  readonly backupId: string
  readonly index: number
  readonly kdf: ScryptParams
  /** base64url of nonce ‖ AES-256-GCM ciphertext ‖ tag of the binary share. */
  readonly ciphertext: string
}

export const DEFAULT_SCRYPT = Object.freeze({ logN: 17, r: 8, p: 1 })
const LIMITS = { logN: [15, 20], r: [8, 16], p: [1, 4] } as const

function passphraseBytes(passphrase: unknown): Uint8Array {
  if (typeof passphrase !== 'string') throw new TypeError('passphrase must be a string')
  const normalized = passphrase.normalize('NFKC')
  if ([...normalized].length < MIN_PASSPHRASE_CHARACTERS) throw invalidInput(`the passphrase must have at least ${MIN_PASSPHRASE_CHARACTERS} characters`, { field: 'passphrase' })
  return new Uint8Array(Buffer.from(normalized, 'utf8'))
}

function checkParams(kdf: ScryptParams): void {
  if (kdf === null || typeof kdf !== 'object' || kdf.name !== 'scrypt') throw invalidInput('kdf must be scrypt', { field: 'kdf' })
  for (const [name, [min, max]] of Object.entries(LIMITS)) {
    const value = kdf[name as keyof typeof LIMITS]
    if (!Number.isInteger(value) || value < min || value > max) throw invalidInput(`kdf.${name} must be an integer from ${min} to ${max}`, { field: `kdf.${name}` })
  }
  if (fromB64u(kdf.salt, 'kdf.salt').length !== 16) throw invalidInput('kdf.salt must be 16 bytes', { field: 'kdf.salt' })
}

function deriveKey(passphrase: Uint8Array, kdf: ScryptParams): Promise<Uint8Array> {
  const N = 2 ** kdf.logN
  return new Promise((resolve, reject) =>
    scrypt(passphrase, fromB64u(kdf.salt, 'kdf.salt'), 32, { N, r: kdf.r, p: kdf.p, maxmem: 256 * N * kdf.r }, (error, key) => {
      passphrase.fill(0)
      if (error) reject(error)
      else {
        resolve(new Uint8Array(key))
        key.fill(0)
      }
    }),
  )
}

const associatedData = (sealed: { backupId: string; index: number; kdf: ScryptParams }) =>
  labelBytes(PASSPHRASE_SHARE_FORMAT, sealed, `scrypt:${sealed.kdf.logN}:${sealed.kdf.r}:${sealed.kdf.p}:${sealed.kdf.salt}`)

export async function sealShareWithPassphrase(share: Uint8Array, passphrase: string, params: { logN: number; r: number; p: number } = DEFAULT_SCRYPT): Promise<PassphraseSealedShare> {
  const labels = labelsOf(share)
  const kdf: ScryptParams = { name: 'scrypt', logN: params.logN, r: params.r, p: params.p, salt: b64u(randomBytes(16)) }
  checkParams(kdf)
  const key = await deriveKey(passphraseBytes(passphrase), kdf)
  try {
    const ciphertext = sealAesGcm(key, share, associatedData({ ...labels, kdf }))
    return { format: PASSPHRASE_SHARE_FORMAT, ...labels, kdf, ciphertext: b64u(ciphertext) }
  } finally {
    key.fill(0)
  }
}

/** A wrong passphrase or an altered envelope is COFFRE_DECRYPT_FAILED (AES-GCM cannot tell them apart). */
export async function openShareWithPassphrase(sealed: PassphraseSealedShare, passphrase: string): Promise<Uint8Array> {
  assertLabels(sealed)
  checkParams(sealed.kdf)
  const ciphertext = fromB64u(sealed.ciphertext, 'ciphertext')
  const key = await deriveKey(passphraseBytes(passphrase), sealed.kdf)
  try {
    return checkOpenedShare(openAesGcm(key, ciphertext, associatedData(sealed)), sealed)
  } finally {
    key.fill(0)
  }
}
