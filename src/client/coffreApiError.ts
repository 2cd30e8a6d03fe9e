/**
 * The one error the client throws: the Coffre error `code` (docs/errors.md), the HTTP `status`
 * (0 when no reply came) and the server's message. Client-side codes: COFFRE_NETWORK_FAILED (no
 * reply after the retries), COFFRE_API_VERSION_UNSUPPORTED (the server speaks another major),
 * COFFRE_UPSTREAM_FAILED (a reply that is not Coffre's, e.g. a proxy's error page).
 */
import type { ErrorCode } from '../errors.ts'

/** A code from docs/errors.md; a newer server may send codes this client does not list yet. */
export type CoffreErrorCode = ErrorCode | (string & {})

export class CoffreApiError extends Error {
  override name = 'CoffreApiError'
  readonly code: CoffreErrorCode
  readonly status: number
  /** Seconds the server asked to wait (Retry-After), when it did. */
  readonly retryAfterSeconds: number | undefined

  constructor(code: CoffreErrorCode, status: number, message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = status
    this.retryAfterSeconds = options.retryAfterSeconds
  }
}

export const isCoffreApiError = (value: unknown): value is CoffreApiError => value instanceof CoffreApiError

const CODE = /^COFFRE_[A-Z0-9_]+$/

/** The error for a non-2xx reply whose body openapi-fetch already read (parsed JSON, or text). */
export function errorFromReply(response: Response, body: unknown): CoffreApiError {
  const retryAfter = Number(response.headers.get('retry-after'))
  const options = Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}
  const error = typeof body === 'object' && body !== null ? (body as { error?: { code?: unknown; message?: unknown } }).error : undefined
  if (typeof error?.code === 'string' && CODE.test(error.code)) {
    return new CoffreApiError(error.code, response.status, typeof error.message === 'string' ? error.message : error.code, options)
  }
  return new CoffreApiError('COFFRE_UPSTREAM_FAILED', response.status, `the service replied HTTP ${response.status} without a Coffre error (a proxy, or not a Coffre server)`, options)
}
