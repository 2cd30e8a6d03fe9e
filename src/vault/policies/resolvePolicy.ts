/**
 * A policy name to the compiled policy a request is evaluated under: the latest stored version of
 * that name, else the built-in template of that name without parameters (`allow-all`,
 * `polymarket-trader`). Compiled policies are cached by (name, version): versions are immutable,
 * so only the "which version is latest" lookup reaches the store per request.
 */
import { LRUCache } from 'lru-cache'
import { CoffreError } from '../../errors.ts'
import type { CompiledPolicy } from '../../policy/compilePolicy.ts'
import { loadPolicySource, TEMPLATE_NAMES } from '../../policy/templates.ts'
import { latestPolicyVersion, type PolicyRow } from '../../store/policies.ts'
import type { VaultContext } from '../context.ts'

export type ResolvedPolicy = { readonly name: string; readonly version: number | null; readonly compiled: CompiledPolicy }

const compiledCache = new WeakMap<VaultContext, LRUCache<string, ResolvedPolicy>>()
const builtIns = new Map<string, ResolvedPolicy>()

export const ALLOW_ALL = 'allow-all'

/** The built-in template `name` with no parameters (null if it needs some or does not exist). */
export function builtInPolicy(name: string): ResolvedPolicy | null {
  if (!TEMPLATE_NAMES.includes(name)) return null
  let found = builtIns.get(name)
  if (found === undefined) {
    try {
      found = { name, version: null, compiled: loadPolicySource({ template: name }) }
    } catch {
      return null
    }
    builtIns.set(name, found)
  }
  return found
}

export function compileRow(row: PolicyRow): ResolvedPolicy {
  return { name: row.name, version: row.version, compiled: loadPolicySource(JSON.parse(row.document)) }
}

/** The policy a token's policy name designates, or COFFRE_NOT_FOUND. */
export async function resolvePolicy(ctx: VaultContext, name: string): Promise<ResolvedPolicy> {
  const row = await latestPolicyVersion(ctx.store.db, name)
  if (row === undefined) {
    const builtIn = builtInPolicy(name)
    if (builtIn === null) throw new CoffreError('COFFRE_NOT_FOUND', `no policy named "${name}"`)
    return builtIn
  }
  let cache = compiledCache.get(ctx)
  if (cache === undefined) compiledCache.set(ctx, (cache = new LRUCache({ max: 256 })))
  const key = `${row.name}@${row.version}`
  let resolved = cache.get(key)
  if (resolved === undefined) cache.set(key, (resolved = compileRow(row)))
  return resolved
}
