/**
 * AES-256-GCM through node:crypto. Nonce policy: 12-byte (96-bit) nonces only, always fresh from
 * the CSPRNG for encryption (NIST SP 800-38D §8.2.2); 16-byte tags only. Other sizes are refused
 * before any work, so a GHASH-derived nonce never appears.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { CoffreError } from '../errors.ts'

export const AES_KEY_BYTES = 32
export const GCM_NONCE_BYTES = 12
export const GCM_TAG_BYTES = 16

function assertBytes(name: string, value: unknown, length?: number): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`)
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${name} must be ${length} bytes, got ${value.length}`)
  }
}

/** Encrypts with a fresh random nonce. Returns nonce ‖ ciphertext ‖ tag. */
export function sealAesGcm(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array {
  assertBytes('key', key, AES_KEY_BYTES)
  assertBytes('plaintext', plaintext)
  assertBytes('associatedData', associatedData)
  const nonce = randomBytes(GCM_NONCE_BYTES)
  const { ciphertext, tag } = encryptAesGcm(key, nonce, plaintext, associatedData)
  const out = new Uint8Array(GCM_NONCE_BYTES + ciphertext.length + GCM_TAG_BYTES)
  out.set(nonce, 0)
  out.set(ciphertext, GCM_NONCE_BYTES)
  out.set(tag, GCM_NONCE_BYTES + ciphertext.length)
  return out
}

/** Opens nonce ‖ ciphertext ‖ tag; a failed tag check is COFFRE_DECRYPT_FAILED. */
export function openAesGcm(key: Uint8Array, sealed: Uint8Array, associatedData: Uint8Array): Uint8Array {
  assertBytes('key', key, AES_KEY_BYTES)
  assertBytes('sealed', sealed)
  assertBytes('associatedData', associatedData)
  if (sealed.length < GCM_NONCE_BYTES + GCM_TAG_BYTES) {
    throw new CoffreError('COFFRE_DECRYPT_FAILED', 'ciphertext is too short to be AES-GCM')
  }
  const nonce = sealed.subarray(0, GCM_NONCE_BYTES)
  const ciphertext = sealed.subarray(GCM_NONCE_BYTES, sealed.length - GCM_TAG_BYTES)
  const tag = sealed.subarray(sealed.length - GCM_TAG_BYTES)
  return decryptAesGcm(key, nonce, ciphertext, tag, associatedData)
}

/** Raw AES-256-GCM encryption with a caller-given nonce (known-answer tests only use this directly). */
export function encryptAesGcm(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array,
): { ciphertext: Uint8Array; tag: Uint8Array } {
  assertBytes('key', key, AES_KEY_BYTES)
  assertBytes('nonce', nonce, GCM_NONCE_BYTES)
  assertBytes('plaintext', plaintext)
  assertBytes('associatedData', associatedData)
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_BYTES })
  cipher.setAAD(associatedData)
  const head = cipher.update(plaintext)
  const tail = cipher.final()
  const ciphertext = head.length === 0 ? new Uint8Array(tail) : tail.length === 0 ? new Uint8Array(head) : new Uint8Array(Buffer.concat([head, tail]))
  return { ciphertext, tag: new Uint8Array(cipher.getAuthTag()) }
}

export function decryptAesGcm(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  associatedData: Uint8Array,
): Uint8Array {
  assertBytes('key', key, AES_KEY_BYTES)
  assertBytes('nonce', nonce, GCM_NONCE_BYTES)
  assertBytes('ciphertext', ciphertext)
  assertBytes('tag', tag, GCM_TAG_BYTES)
  assertBytes('associatedData', associatedData)
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_BYTES })
  decipher.setAAD(associatedData)
  decipher.setAuthTag(tag)
  const head = decipher.update(ciphertext)
  try {
    const tail = decipher.final()
    const out = new Uint8Array(head.length + tail.length)
    out.set(head, 0)
    out.set(tail, head.length)
    head.fill(0)
    return out
  } catch {
    head.fill(0)
    throw new CoffreError('COFFRE_DECRYPT_FAILED', 'ciphertext failed authentication (modified, or bound to another place or key)')
  }
}
