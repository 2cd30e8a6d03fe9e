/**
 * `vault.derive` and `vault.pairs`, sharing one bounded DerivedKeyIndex per opened vault (no module
 * global: two vaults never see each other's identities).
 */
import { createDerivedKeyIndex, type DerivedKeyIndexOptions } from '../../derive/derivedKeyIndex.ts'
import type { VaultContext } from '../context.ts'
import { createDerivedKeyService } from './derivedKeyService.ts'
import { createIdentityKeys } from './identityKeys.ts'
import { createPairService } from './pairService.ts'

export function createDerivedKeyServices(ctx: VaultContext, options: DerivedKeyIndexOptions = {}) {
  const identity = createIdentityKeys(ctx, createDerivedKeyIndex(options))
  return {
    derive: { ...createDerivedKeyService(ctx, identity), indexStats: () => identity.index.stats() },
    pairs: createPairService(ctx, identity),
  }
}

export type DerivedKeyServices = ReturnType<typeof createDerivedKeyServices>
