/**
 * What a new token is bound by: an expiry (finite by default), a signing policy (required for a
 * token that can sign, export or create users) and an optional namespace.
 */
import { invalidInput } from '../../errors.ts'
import { grants, type Scope } from './scopes.ts'

export const DEFAULT_TOKEN_LIFETIME = '90d'
const MAX_LIFETIME_SECONDS = 3650 * 86_400
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 }
const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/

/** `30d`, `12h`, `90m`, `3600s` (or a number of seconds) → seconds, 1 s to 10 years. */
export function parseLifetime(value: unknown): number {
  let seconds: number | undefined
  if (typeof value === 'number') seconds = value
  else if (typeof value === 'string') {
    const match = /^([1-9][0-9]{0,9})([smhd])$/.exec(value.trim())
    if (match !== null) seconds = Number(match[1]) * UNIT_SECONDS[match[2]!]!
  }
  if (seconds === undefined || !Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_LIFETIME_SECONDS) {
    throw invalidInput('expiresIn must be a duration such as 30d, 12h, 90m or 3600s (at most 3650d)')
  }
  return seconds
}

export function parseNamespace(value: unknown): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string' || !NAMESPACE_PATTERN.test(value)) throw invalidInput('namespace must be 1 to 64 lowercase letters, digits and . _ - (starting with a letter or digit)')
  return value
}

/** The scopes that put keys to work: a token holding one must name its policy. */
export const POLICY_SCOPES: readonly Scope[] = ['sign', 'export', 'users:write']

export function requirePolicyFor(scopes: readonly Scope[], policy: string | null): void {
  if (policy !== null) return
  const needing = POLICY_SCOPES.filter((scope) => grants(scopes, scope))
  if (needing.length > 0) {
    throw invalidInput(`a token with the ${needing.join(', ')} scope needs a signing policy: pass --policy NAME (policy field), or --policy allow-all as the explicit choice for a trusted internal tool`)
  }
}
