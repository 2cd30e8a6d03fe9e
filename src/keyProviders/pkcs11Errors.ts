/**
 * Maps PKCS#11 failures to Coffre's error codes. Messages name the operation and the CKR_* code,
 * never the PIN or key material; the pkcs11js error (method + CKR code only) is kept as `cause`.
 */
import pkcs11js from 'pkcs11js'
import { CoffreError } from '../errors.ts'

/** The CKR_* name of a pkcs11js error, or undefined when it is not a Cryptoki error. */
export function pkcs11ReturnCode(error: unknown): string | undefined {
  if (error instanceof pkcs11js.Pkcs11Error && /^CKR_\w+$/.test(error.message)) return error.message
  return undefined
}

/**
 * Codes with which an unwrap says "this blob does not open under this key". SoftHSM answers a
 * tampered or foreign blob with CKR_GENERAL_ERROR (its RFC 5649 integrity check fails inside the
 * unwrap), other tokens with CKR_WRAPPED_KEY_INVALID or CKR_ENCRYPTED_DATA_INVALID.
 */
const unwrapRejections = new Set([
  'CKR_GENERAL_ERROR',
  'CKR_WRAPPED_KEY_INVALID',
  'CKR_WRAPPED_KEY_LEN_RANGE',
  'CKR_ENCRYPTED_DATA_INVALID',
  'CKR_ENCRYPTED_DATA_LEN_RANGE',
])

export function providerFailed(operation: string, cause: unknown): CoffreError {
  const ckr = pkcs11ReturnCode(cause)
  return new CoffreError('COFFRE_KEY_PROVIDER_FAILED', `PKCS#11 ${operation} failed${ckr === undefined ? '' : ` (${ckr})`}`, {
    details: { provider: 'pkcs11', operation, ckr: ckr ?? null },
    cause,
  })
}

export function unwrapFailed(cause: unknown): CoffreError {
  const ckr = pkcs11ReturnCode(cause)
  if (ckr !== undefined && unwrapRejections.has(ckr)) {
    return new CoffreError('COFFRE_ROOT_KEY_INVALID', 'The wrapped data key does not open under this HSM root key', {
      details: { provider: 'pkcs11', ckr },
      cause,
    })
  }
  return providerFailed('unwrap', cause)
}
