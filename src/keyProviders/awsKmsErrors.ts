/**
 * Maps AWS KMS failures to Coffre's error codes. Messages carry the AWS error name, the HTTP status
 * and the request id, never the SDK's own message (which may echo request details) or credentials.
 */
import { CoffreError, type ErrorCode } from '../errors.ts'

/** Decrypt's answers for "this ciphertext is not for this key / context". */
const notThisKey = new Set(['InvalidCiphertextException', 'IncorrectKeyException'])
/** The configured key no longer works: deleted, disabled, pending deletion or unusable. */
const keyGone = new Set(['NotFoundException', 'DisabledException', 'KMSInvalidStateException', 'KeyUnavailableException', 'InvalidKeyUsageException'])

export type KmsErrorKind = 'not-this-key' | 'key-gone' | 'access-denied' | 'failed'

export function kmsErrorName(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'UnknownError'
  const { name, code } = error as { name?: unknown; code?: unknown }
  // Network errors (ECONNREFUSED, ETIMEDOUT…) keep their errno code; AWS errors their exception name.
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code
  return typeof name === 'string' && /^\w{1,80}$/.test(name) ? name : 'UnknownError'
}

export function kmsErrorKind(error: unknown): KmsErrorKind {
  const name = kmsErrorName(error)
  if (notThisKey.has(name)) return 'not-this-key'
  if (keyGone.has(name)) return 'key-gone'
  if (name === 'AccessDeniedException') return 'access-denied'
  return 'failed'
}

const codeFor: Record<KmsErrorKind, ErrorCode> = {
  'not-this-key': 'COFFRE_ROOT_KEY_INVALID',
  'key-gone': 'COFFRE_ROOT_KEY_MISSING',
  'access-denied': 'COFFRE_KEY_PROVIDER_FAILED',
  failed: 'COFFRE_KEY_PROVIDER_FAILED',
}

export function kmsFailure(operation: string, error: unknown, kind: KmsErrorKind = kmsErrorKind(error)): CoffreError {
  const name = kmsErrorName(error)
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown; requestId?: unknown } } | null)?.$metadata
  const httpStatus = typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : null
  const requestId = typeof metadata?.requestId === 'string' ? metadata.requestId : null
  const message =
    kind === 'not-this-key'
      ? `The wrapped data key does not open under this KMS key or context (${name})`
      : kind === 'key-gone'
        ? `The KMS root key is missing or not usable (${name})`
        : `AWS KMS ${operation} failed (${name})`
  return new CoffreError(codeFor[kind], message, { details: { provider: 'aws-kms', operation, awsError: name, httpStatus, requestId } })
}
