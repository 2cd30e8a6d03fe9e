/**
 * Turns whatever an RPC client threw into a CoffreError: a CoffreError found anywhere in the
 * cause chain (e.g. a chain mismatch from a checked transport) is kept, anything else becomes
 * COFFRE_UPSTREAM_FAILED (reason `rpc-failed`) with a short reason whose URLs lost their credentials and query strings
 * (RPC providers put API keys there).
 */
import { isCoffreError, type CoffreError } from '../../errors.ts'
import { chainError } from '../chainErrors.ts'

export function redactUrlsIn(text: string): string {
  return text.replace(/\bhttps?:\/\/[^\s"'<>]+/giu, (url) => {
    try {
      const parsed = new URL(url)
      return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : '/…'}`
    } catch {
      return 'http://…'
    }
  })
}

function shortReason(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const short = (error as { shortMessage?: unknown }).shortMessage
    if (typeof short === 'string' && short !== '') return short
  }
  return error instanceof Error ? error.message.split('\n')[0] ?? 'unknown error' : String(error)
}

export function findCoffreError(error: unknown): CoffreError | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth++) {
    if (isCoffreError(current)) return current
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

export function toRpcError(error: unknown, chain: string, what: string): CoffreError {
  const known = findCoffreError(error)
  if (known !== undefined) return known
  return chainError('rpc-failed', `${chain} RPC ${what} failed: ${redactUrlsIn(shortReason(error)).slice(0, 300)}`, {
    details: { chain },
    cause: error,
  })
}

/** Runs an RPC call and maps its failure with `toRpcError`. */
export async function rpcCall<T>(chain: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw toRpcError(error, chain, what)
  }
}
