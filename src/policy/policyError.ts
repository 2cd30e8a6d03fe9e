/** COFFRE_POLICY_INVALID with the path of the offending field, e.g. `rules[2].conditions[0].in[1]`. */
import { CoffreError } from '../errors.ts'

export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`
  return out === '' ? '(document)' : out
}

export function policyInvalid(path: readonly PropertyKey[] | string, message: string): CoffreError {
  const where = typeof path === 'string' ? path : formatPath(path)
  return new CoffreError('COFFRE_POLICY_INVALID', `invalid policy: ${where}: ${message}`, { details: { path: where } })
}
