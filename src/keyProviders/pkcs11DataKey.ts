/**
 * Wraps and unwraps one DEK on the token with CKM_AES_KEY_WRAP_PAD (RFC 5649). The DEK exists on
 * the token only as a session object (CKA_TOKEN false) for the length of one call, and is destroyed
 * before the session goes back to the pool. Byte buffers that held the DEK are wiped.
 */
import pkcs11js from 'pkcs11js'
import { providerFailed, unwrapFailed } from './pkcs11Errors.ts'

const keyWrapPad = { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD }

const sessionDataKey = [
  { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
  { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
  { type: pkcs11js.CKA_TOKEN, value: false },
  { type: pkcs11js.CKA_PRIVATE, value: true },
  { type: pkcs11js.CKA_SENSITIVE, value: false },
  { type: pkcs11js.CKA_EXTRACTABLE, value: true },
]

function destroy(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle, object: pkcs11js.Handle): void {
  try {
    pkcs11.C_DestroyObject(session, object)
  } catch (cause) {
    throw providerFailed('destroying a session data key', cause)
  }
}

/** Returns the 40-byte RFC 5649 wrap of `dek` under `rootKey`. */
export async function wrapOnToken(
  pkcs11: pkcs11js.PKCS11,
  session: pkcs11js.Handle,
  rootKey: pkcs11js.Handle,
  dek: Uint8Array,
): Promise<Uint8Array> {
  const value = Buffer.from(dek)
  let object: pkcs11js.Handle
  try {
    object = pkcs11.C_CreateObject(session, [...sessionDataKey, { type: pkcs11js.CKA_VALUE, value }])
  } catch (cause) {
    throw providerFailed('importing a data key', cause)
  } finally {
    value.fill(0)
  }
  try {
    return new Uint8Array(await pkcs11.C_WrapKeyAsync(session, keyWrapPad, rootKey, object, Buffer.alloc(64)))
  } catch (cause) {
    throw providerFailed('wrap', cause)
  } finally {
    destroy(pkcs11, session, object)
  }
}

/** Unwraps an RFC 5649 blob under `rootKey` and returns the DEK bytes (a fresh copy). */
export async function unwrapOnToken(
  pkcs11: pkcs11js.PKCS11,
  session: pkcs11js.Handle,
  rootKey: pkcs11js.Handle,
  kwp: Uint8Array,
): Promise<Uint8Array> {
  let object: pkcs11js.Handle
  try {
    object = await pkcs11.C_UnwrapKeyAsync(session, keyWrapPad, rootKey, Buffer.from(kwp), sessionDataKey)
  } catch (cause) {
    throw unwrapFailed(cause)
  }
  try {
    const value = pkcs11.C_GetAttributeValue(session, object, [{ type: pkcs11js.CKA_VALUE }])[0]?.value
    if (!Buffer.isBuffer(value)) throw new TypeError('CKA_VALUE did not come back as bytes')
    const dek = new Uint8Array(value)
    value.fill(0)
    return dek
  } catch (cause) {
    throw providerFailed('reading an unwrapped data key', cause)
  } finally {
    destroy(pkcs11, session, object)
  }
}
