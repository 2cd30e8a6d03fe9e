/**
 * CLOB failures as CoffreError COFFRE_UPSTREAM_FAILED carrying the HTTP status (0 for a network
 * failure) and the CLOB's own error text, never a header or a secret.
 */
import { CoffreError, isCoffreError } from '../errors.ts'

const maxErrorText = 500

/** The CLOB's error text from a reply body: `{"error": "..."}`, `errorMsg`, or the raw text. */
export function clobErrorText(bodyText: string): string {
  let text = bodyText
  try {
    const parsed: unknown = JSON.parse(bodyText)
    if (parsed !== null && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>
      if (typeof record.error === 'string') text = record.error
      else if (typeof record.errorMsg === 'string' && record.errorMsg !== '') text = record.errorMsg
    } else if (typeof parsed === 'string') text = parsed
  } catch {
    // not JSON: keep the raw text
  }
  return text.length > maxErrorText ? `${text.slice(0, maxErrorText)}…` : text
}

export function upstreamFailed(args: { method: string; path: string; status: number; error: string; attempts: number; cause?: unknown }): CoffreError {
  const what = args.status === 0 ? 'unreachable' : `answered ${args.status}`
  return new CoffreError('COFFRE_UPSTREAM_FAILED', `Polymarket CLOB ${what} on ${args.method} ${args.path}`, {
    details: { status: args.status, upstreamError: args.error, method: args.method, path: args.path, attempts: args.attempts },
    cause: args.cause,
  })
}

/** Status and CLOB error text of an upstream failure, or undefined for any other error. */
export function upstreamFailure(error: unknown): { status: number; error: string } | undefined {
  if (!isCoffreError(error) || error.code !== 'COFFRE_UPSTREAM_FAILED' || error.details === undefined) return undefined
  const { status, upstreamError } = error.details
  return typeof status === 'number' && typeof upstreamError === 'string' ? { status, error: upstreamError } : undefined
}

/** The CLOB's reply to an order it already holds ("order is invalid. Duplicated."). */
export function isDuplicateOrderText(text: string): boolean {
  return /INVALID_ORDER_DUPLICATED|\bduplicated\b/i.test(text)
}
