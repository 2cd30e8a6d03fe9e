/**
 * The opened vault's internals (store, keyring, audit writer), kept off the public `Vault`: only
 * code inside src/vault and the test suites reach them, through `contextOf`. The CLI and HTTP
 * layers may not import this module (.dependency-cruiser.cjs enforces it); everything they need is
 * a vault service.
 */
import type { VaultContext } from './context.ts'

const contexts = new WeakMap<object, VaultContext>()

export function attachContext<V extends object>(vault: V, ctx: VaultContext): V {
  contexts.set(vault, ctx)
  return vault
}

export function contextOf(vault: object): VaultContext {
  const ctx = contexts.get(vault)
  if (ctx === undefined) throw new TypeError('not an opened vault')
  return ctx
}
