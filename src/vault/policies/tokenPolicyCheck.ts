/**
 * Doctor check: live tokens without a signing policy (made before policies existed) run under
 * allow-all — a warning for each (the check stays ok: they keep working), naming how to replace it.
 */
import { listApiTokens } from '../../store/apiTokens.ts'
import type { VaultContext } from '../context.ts'

export async function checkTokenPolicies(ctx: VaultContext): Promise<{ ok: true; detail: string; warnings?: string[] }> {
  const live = (await listApiTokens(ctx.store.db)).filter((t) => t.revoked_at === null && (t.expires_at === null || Date.parse(t.expires_at) > Date.now()))
  const unbound = live.filter((t) => t.policy === null)
  if (unbound.length === 0) return { ok: true, detail: `${live.length} live tokens, each bound to a policy` }
  const warnings = unbound.map((t) => `token ${t.id} "${t.name}" (${JSON.parse(t.scopes).join(',')}) has no policy and runs under allow-all${t.expires_at === null ? ', and never expires' : ''}: replace it with coffre tokens create --policy NAME, then revoke it`)
  return { ok: true, detail: `${unbound.length} of ${live.length} live tokens run under allow-all (made before policies)`, warnings }
}
