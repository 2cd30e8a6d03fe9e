/**
 * `vault.derive`: seed 004's derived keys for a vault user's identity key. Public keys and membership
 * come from the tiered identity index (no decryption once persisted); a derived PRIVATE key leaves
 * the vault only through `exportChild`, audited as an export before it is returned.
 */
import { secp256k1 } from '../../crypto/secp256k1.ts'
import { invalidInput } from '../../errors.ts'
import type { ChildKeyPair } from '../../derive/deriveChildKeyPair.ts'
import { deriveChildScalar } from '../../derive/deriveChildScalar.ts'
import type { KeyPosition } from '../../derive/derivedKeyIndex.ts'
import { assertDerivationIndex } from '../../derive/integerGuards.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import { useIdentityKey } from '../keys/useKey.ts'
import type { UserRef } from '../users/findUser.ts'
import type { DerivedKeyPage, IdentityKeys } from './identityKeys.ts'
import { authorize, settleCharges } from '../policies/authorize.ts'

export type ExportChildOptions = ActionOptions & { readonly reason?: string }

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')

export function createDerivedKeyService(ctx: VaultContext, identity: IdentityKeys) {
  /** Every derive call may decrypt the identity key: the caller's signing policy judges it first (operation `derive`). */
  const gate = async (ref: UserRef, options: ActionOptions) => {
    const authorized = await authorize(ctx, options, ref, { operation: 'derive' })
    await settleCharges(ctx, options, null, authorized)
  }
  return {
    /** [main, derived(0), …, derived(count − 1)] of the user's identity key, for count ≤ DERIVED_KEYS_PER_PAGE (1,000). */
    publicKeys: async (ref: UserRef, count: number, options: ActionOptions = {}): Promise<string[]> => {
      await gate(ref, options)
      return identity.list(ref, count, options)
    },

    /**
     * One page of [main, derived(0), …, derived(count − 1)] (count ≤ MAX_VAULT_DERIVED): at most
     * DERIVED_KEYS_PER_PAGE derived keys from `offset`, main first on the page at offset 0, and the
     * next page's offset (null on the last). A page far beyond the indexed range is COFFRE_CONFLICT.
     */
    publicKeyPage: async (ref: UserRef, request: { readonly count: number; readonly offset?: number }, options: ActionOptions = {}): Promise<DerivedKeyPage> => {
      await gate(ref, options)
      return identity.page(ref, request, options)
    },

    /**
     * 'main', the derived index (< maxDerived), or null; same answer as `findPublicKeyInIdentity`.
     * Beyond the indexed range a call indexes at most MAX_DERIVATIONS_PER_CALL more keys, then fails
     * with COFFRE_CONFLICT if that did not reach maxDerived (repeat the call to go on).
     */
    find: async (ref: UserRef, publicKeyHex: string, maxDerived = 0, options: ActionOptions = {}): Promise<KeyPosition> => {
      await gate(ref, options)
      return identity.find(ref, publicKeyHex, maxDerived, options)
    },

    /** Same answer as `publicKeyBelongsToIdentity(identityPrivateKey, publicKeyHex, maxDerived)`. */
    belongs: async (ref: UserRef, publicKeyHex: string, maxDerived = 0, options: ActionOptions = {}): Promise<boolean> => {
      await gate(ref, options)
      return (await identity.find(ref, publicKeyHex, maxDerived, options)) !== null
    },

    /** deriveChildKeyPair(identity, index): hands out a derived private key, audited as `user.export`. */
    async exportChild(ref: UserRef, index: number, options: ExportChildOptions = {}): Promise<ChildKeyPair> {
      assertDerivationIndex(index)
      if (options.reason !== undefined && (typeof options.reason !== 'string' || options.reason.length > 200)) {
        throw invalidInput('reason must be a string of at most 200 characters', { field: 'reason' })
      }
      const actor = options.actor ?? DEFAULT_ACTOR
      const authorized = await authorize(ctx, options, ref, { operation: 'derive' })
      return useIdentityKey(ctx, ref, { purpose: 'derive.export', actor, authorized, details: { index } }, async (privateKey, holder) => {
        const scalar = deriveChildScalar(privateKey, index)
        let pair: ChildKeyPair
        try {
          pair = { privateKey: hex(scalar), publicKey: hex(secp256k1.publicKeyCreate(scalar, true)) }
        } finally {
          scalar.fill(0)
        }
        const details = { index, ...(options.reason === undefined ? {} : { reason: options.reason }) }
        await ctx.audit.append({ action: 'user.export', actor, userId: holder.userId, subject: `identity:derived:${index}`, details })
        ctx.observer.audited?.('user.export', 1)
        ctx.logger.info({ audit: 'user.export', actor, userId: holder.userId, subject: `identity:derived:${index}` }, 'audit')
        return pair
      })
    },
  }
}
