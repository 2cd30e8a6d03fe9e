/**
 * The one place where error codes become HTTP statuses, and any thrown value becomes the reply
 * `{ "error": { "code", "message" } }`. Unknown errors say only "internal error": no stack, no
 * driver message, no secret ever reaches a reply.
 */
import { CoffreError, isCoffreError, type ErrorCode } from '../errors.ts'

export const HTTP_STATUS: Readonly<Partial<Record<ErrorCode, number>>> = {
  COFFRE_INVALID_INPUT: 400,
  COFFRE_BACKUP_INVALID: 400,
  COFFRE_UNAUTHORIZED: 401,
  COFFRE_FORBIDDEN: 403,
  COFFRE_POLICY_DENIED: 403,
  COFFRE_POLICY_INVALID: 400,
  COFFRE_APPROVAL_REQUIRED: 202,
  COFFRE_NOT_FOUND: 404,
  COFFRE_CONFLICT: 409,
  COFFRE_PAYLOAD_TOO_LARGE: 413,
  COFFRE_ADDRESS_MISMATCH: 422,
  COFFRE_SIGNING_FAILED: 422,
  COFFRE_UNSUPPORTED: 422,
  COFFRE_IDEMPOTENCY_MISMATCH: 422,
  COFFRE_SHARE_MALFORMED: 400,
  COFFRE_SHARE_CORRUPTED: 422,
  COFFRE_SHARES_MIXED: 422,
  COFFRE_SHARE_DUPLICATED: 422,
  COFFRE_SHARES_TOO_FEW: 422,
  COFFRE_SHARES_WRONG: 422,
  COFFRE_RECOVERY_REQUEST_INVALID: 422,
  COFFRE_RECOVERY_EXPIRED: 422,
  COFFRE_RECOVERY_SIGNATURE_INVALID: 422,
  COFFRE_RECOVERY_THRESHOLD_NOT_MET: 422,
  COFFRE_RECOVERY_PENDING: 409,
  COFFRE_SAFE_SIGNATURE_INVALID: 422,
  COFFRE_SAFE_THRESHOLD_NOT_MET: 422,
  COFFRE_LEGACY_KEY_INVALID: 422,
  COFFRE_API_VERSION_UNSUPPORTED: 400,
  COFFRE_RATE_LIMITED: 429,
  COFFRE_INTERNAL: 500,
  COFFRE_INVALID_CONFIG: 500,
  COFFRE_DECRYPT_FAILED: 500,
  COFFRE_DATA_KEY_UNAVAILABLE: 500,
  COFFRE_MIGRATION_FAILED: 500,
  COFFRE_TRANSACTION_BYPASS: 500,
  COFFRE_AUDIT_CHAIN_BROKEN: 500,
  COFFRE_INTEGRITY_FAILED: 500,
  COFFRE_UPSTREAM_FAILED: 502,
  COFFRE_ROOT_KEY_MISSING: 503,
  COFFRE_ROOT_KEY_INVALID: 503,
  COFFRE_KEY_PROVIDER_FAILED: 503,
  COFFRE_STORE_FAILED: 503,
  COFFRE_NETWORK_FAILED: 503,
  COFFRE_AUDIT_FAILED: 503,
}

export const statusOf = (code: ErrorCode): number => HTTP_STATUS[code] ?? 500

type FrameworkError = { code?: unknown; statusCode?: unknown; validation?: readonly { instancePath?: string; message?: string; params?: Record<string, unknown> }[]; validationContext?: string }

/** Driver errors that mean the database is unavailable right now (locked, down, restarting), not a bug. */
const STORE_UNAVAILABLE = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_RECOVERY', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03'])

function isStoreUnavailable(error: unknown): boolean {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown }
  if (typeof e.code === 'string' && (STORE_UNAVAILABLE.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code))) return true
  return typeof e.message === 'string' && /^Connection terminated|^timeout exceeded when trying to connect/.test(e.message)
}

/** Turns Fastify's own errors (validation, JSON syntax, body size, media type) and store outages into CoffreErrors. */
export function toCoffreError(error: unknown): CoffreError {
  if (isCoffreError(error)) return error
  if (isStoreUnavailable(error)) return new CoffreError('COFFRE_STORE_FAILED', 'the database is unavailable; retry later', { details: { retryAfterSeconds: 1 } })
  const e = (typeof error === 'object' && error !== null ? error : {}) as FrameworkError
  if (Array.isArray(e.validation) && e.validation.length > 0) {
    const first = e.validation[0]!
    const extra = typeof first.params?.additionalProperty === 'string' ? ` (${JSON.stringify(first.params.additionalProperty).slice(0, 70)})` : ''
    return new CoffreError('COFFRE_INVALID_INPUT', `${e.validationContext ?? 'request'}${first.instancePath ?? ''} ${first.message ?? 'is invalid'}${extra}`)
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) return new CoffreError('COFFRE_PAYLOAD_TOO_LARGE', 'request body too large')
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.statusCode === 415) return new CoffreError('COFFRE_INVALID_INPUT', 'content-type must be application/json')
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new CoffreError('COFFRE_INVALID_INPUT', 'request body must not be empty')
  if (error instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return new CoffreError('COFFRE_INVALID_INPUT', 'request body is not valid JSON')
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return new CoffreError('COFFRE_INVALID_INPUT', 'malformed request')
  return new CoffreError('COFFRE_INTERNAL', 'internal error')
}

export function errorBody(error: CoffreError): { error: { code: ErrorCode; message: string; ruleId?: string | null } } {
  const message = error.code === 'COFFRE_INTERNAL' ? 'internal error' : error.message
  if (error.code === 'COFFRE_POLICY_DENIED') {
    const ruleId = error.details?.ruleId
    return { error: { code: error.code, message, ruleId: typeof ruleId === 'string' ? ruleId : null } }
  }
  return { error: { code: error.code, message } }
}
