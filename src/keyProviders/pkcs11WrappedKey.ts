/**
 * The stored form of a DEK wrapped on a PKCS#11 token, and its binding to the data-key id.
 *
 * AES key wrap (RFC 5649, CKM_AES_KEY_WRAP_PAD) authenticates the DEK under the root key but has
 * no associated data, so a wrapped DEK copied to another data-key id would still unwrap. The blob
 * therefore carries a tag binding it to its id, keyed by the DEK itself:
 *
 *   version (1 byte, 0x01) ‖ kwp (40 bytes: RFC 5649 wrap of the 32-byte DEK) ‖ tag (32 bytes)
 *   bindingKey = HKDF-SHA256(ikm = DEK, salt = empty, info = "coffre-dek-binding-v1", 32 bytes)
 *   tag        = HMAC-SHA256(bindingKey, version ‖ u16be(len(id)) ‖ UTF-8(id) ‖ kwp)
 *
 * Only the holder of the DEK (i.e. of the root key) can compute the tag, so neither moving the blob
 * to another id nor editing the kwp part goes unnoticed: both fail with COFFRE_ROOT_KEY_INVALID.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import { CoffreError } from '../errors.ts'

export const pkcs11WrappedKeyVersion = 0x01
const kwpLength = 40
const tagLength = 32
export const pkcs11WrappedKeyLength = 1 + kwpLength + tagLength

function bindingTag(dek: Uint8Array, dataKeyId: string, kwp: Uint8Array): Buffer {
  const bindingKey = new Uint8Array(hkdfSync('sha256', dek, new Uint8Array(0), 'coffre-dek-binding-v1', 32))
  const id = Buffer.from(dataKeyId, 'utf8')
  const header = Buffer.alloc(3)
  header[0] = pkcs11WrappedKeyVersion
  header.writeUInt16BE(id.length, 1)
  const tag = createHmac('sha256', bindingKey).update(header).update(id).update(kwp).digest()
  bindingKey.fill(0)
  return tag
}

/** Builds the stored blob from the token's RFC 5649 output and the plaintext DEK. */
export function sealWrappedDataKey(kwp: Uint8Array, dek: Uint8Array, dataKeyId: string): Uint8Array {
  if (kwp.length !== kwpLength) throw new RangeError(`expected a ${kwpLength}-byte RFC 5649 wrap, got ${kwp.length}`)
  const blob = new Uint8Array(pkcs11WrappedKeyLength)
  blob[0] = pkcs11WrappedKeyVersion
  blob.set(kwp, 1)
  blob.set(bindingTag(dek, dataKeyId, kwp), 1 + kwpLength)
  return blob
}

const notThisKey = (reason: string): CoffreError =>
  new CoffreError('COFFRE_ROOT_KEY_INVALID', `The wrapped data key does not open under this HSM root key (${reason})`, {
    details: { provider: 'pkcs11', reason },
  })

/** Splits a stored blob, checking its version and length before the token sees it. */
export function parseWrappedDataKey(blob: Uint8Array): { kwp: Uint8Array; tag: Uint8Array } {
  if (blob.length !== pkcs11WrappedKeyLength) throw notThisKey(`length ${blob.length}, expected ${pkcs11WrappedKeyLength}`)
  if (blob[0] !== pkcs11WrappedKeyVersion) throw notThisKey(`unknown format version ${blob[0]}`)
  return { kwp: blob.slice(1, 1 + kwpLength), tag: blob.slice(1 + kwpLength) }
}

/** Checks, after the token unwrapped `dek`, that the blob belongs to `dataKeyId`. */
export function verifyDataKeyBinding(dek: Uint8Array, dataKeyId: string, kwp: Uint8Array, tag: Uint8Array): void {
  if (!timingSafeEqual(bindingTag(dek, dataKeyId, kwp), tag)) throw notThisKey('bound to another data key id')
}
