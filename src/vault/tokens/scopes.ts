/** What an API token may do. `admin` implies every other scope. */
import { invalidInput } from '../../errors.ts'

export const SCOPES = ['users:read', 'users:write', 'sign', 'export', 'admin'] as const
export type Scope = (typeof SCOPES)[number]

export function parseScopes(value: unknown): Scope[] {
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : value
  if (!Array.isArray(list) || list.length === 0) throw invalidInput(`scopes must be a non-empty list of: ${SCOPES.join(', ')}`)
  const scopes = new Set<Scope>()
  for (const scope of list) {
    if (typeof scope !== 'string' || !(SCOPES as readonly string[]).includes(scope)) throw invalidInput(`unknown scope; expected some of: ${SCOPES.join(', ')}`)
    scopes.add(scope as Scope)
  }
  return [...scopes]
}

export const grants = (held: readonly Scope[], needed: Scope): boolean => held.includes(needed) || held.includes('admin')
