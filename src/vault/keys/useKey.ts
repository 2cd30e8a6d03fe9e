/**
 * The only way vault code touches a private key: decrypt it from its ciphertext row, hand it to
 * `use`, wipe it, and release the result only after the key-use audit entry is durable
 * (group-committed). If the audit cannot be written the result is discarded (fail-closed).
 * Ciphertext rows may be cached; decrypted keys never are. `withSecret` is the same path for a
 * stored secret read in bulk (doctor checks every one and audits the run once).
 */
import { CoffreError, isCoffreError } from '../../errors.ts'
import type { SecretPlace } from '../../crypto/secretField.ts'
import type { UserWithWallets, WalletRow } from '../../store/users.ts'
import type { ActionOptions, VaultContext } from '../context.ts'
import { DEFAULT_ACTOR } from '../context.ts'
import { identityKeyPlace, mnemonicPlace, walletKeyPlace, type Chain } from '../places.ts'
import { cachedUserRows, requireUserRows, type UserRef } from '../users/findUser.ts'
import { decryptSecret, type DecryptUse } from './decryptSecret.ts'
import { denialEntry, type Authorized } from '../policies/authorize.ts'
import { policyDenied } from '../policies/policyDenied.ts'

export type KeyUse = {
  readonly purpose: string
  readonly details?: Readonly<Record<string, string | number | boolean>>
  /** The policy decision that let this use through: its rule is audited, its velocity charges paid in the same transaction as the key-use entry. */
  readonly authorized?: Authorized
} & ActionOptions

export type KeyHolder = { readonly userId: string; readonly address: string }

/** Decrypts one stored secret (a failure is audited), hands it to `fn` and wipes it whatever happens. */
export async function withSecret<T>(ctx: VaultContext, value: string, place: SecretPlace, use: DecryptUse, fn: (secret: Uint8Array) => T | Promise<T>): Promise<T> {
  const secret = await decryptSecret(ctx, value, place, use)
  try {
    return await fn(secret)
  } finally {
    secret.fill(0)
  }
}

export async function useWalletKey<T>(ctx: VaultContext, ref: UserRef, chain: Chain, use: KeyUse, fn: (privateKey: Uint8Array, holder: KeyHolder) => T | Promise<T>): Promise<T> {
  const { holder, key } = await decryptCached(ctx, ref, use, (rows) => {
    const wallet = rows.wallets.find((w: WalletRow) => w.chain === chain)
    if (wallet === undefined) throw new CoffreError('COFFRE_UNSUPPORTED', `user has no ${chain} wallet`)
    return { value: wallet.private_key_ciphertext, place: walletKeyPlace(rows.user.id, chain, wallet.address), holder: { userId: rows.user.id, address: wallet.address } }
  })
  ctx.observer.decrypted?.(`wallet:${chain}`)
  return finishKeyUse(ctx, key, holder, `wallet:${chain}`, use, fn)
}

export async function useIdentityKey<T>(ctx: VaultContext, ref: UserRef, use: KeyUse, fn: (privateKey: Uint8Array, holder: KeyHolder) => T | Promise<T>): Promise<T> {
  const { holder, key } = await decryptCached(ctx, ref, use, (rows) => ({
    value: rows.user.identity_private_key_ciphertext,
    place: identityKeyPlace(rows.user.id),
    holder: { userId: rows.user.id, address: rows.user.identity_public_key },
  }))
  ctx.observer.decrypted?.('identity')
  return finishKeyUse(ctx, key, holder, 'identity', use, fn)
}

/**
 * The user's BIP-39 entropy (backup splits, guardian shares): the same path as a signing key —
 * decrypted, handed to `fn`, wiped, and released only once the `key.use` entry is durable.
 * A user imported from bare keys has no entropy: COFFRE_UNSUPPORTED.
 */
export async function useUserEntropy<T>(ctx: VaultContext, ref: UserRef, use: KeyUse, fn: (entropy: Uint8Array, holder: KeyHolder) => T | Promise<T>): Promise<T> {
  const { holder, key } = await decryptCached(ctx, ref, use, (rows) => {
    const value = rows.user.mnemonic_ciphertext
    if (value === null) throw new CoffreError('COFFRE_UNSUPPORTED', 'user has no mnemonic (imported from keys)')
    const polygon = rows.wallets.find((w: WalletRow) => w.chain === 'polygon')
    return { value, place: mnemonicPlace(rows.user.id), holder: { userId: rows.user.id, address: polygon?.address ?? '' } }
  })
  ctx.observer.decrypted?.('mnemonic')
  return finishKeyUse(ctx, key, holder, 'mnemonic', use, fn)
}

/**
 * Decrypts a field of the user's cached ciphertext rows. If the cached ciphertext names a data key
 * that rotation has since retired (or re-encrypted away), the rows are reloaded once and retried.
 * A failure on rows read fresh from the store is real, and audited.
 */
type Picked = { value: string; place: SecretPlace; holder: KeyHolder }

async function decryptCached(ctx: VaultContext, ref: UserRef, use: KeyUse, pick: (rows: UserWithWallets) => Picked): Promise<{ holder: KeyHolder; key: Uint8Array }> {
  const audited = (picked: Picked) => decryptSecret(ctx, picked.value, picked.place, { purpose: use.purpose, userId: picked.holder.userId, ...(use.actor === undefined ? {} : { actor: use.actor }) })
  const { rows: cached, fresh } = await cachedUserRows(ctx, ref)
  if (fresh) {
    const picked = pick(cached)
    return { holder: picked.holder, key: await audited(picked) }
  }
  const picked = pick(cached)
  try {
    return { holder: picked.holder, key: await ctx.keyring.decrypt(picked.value, picked.place) }
  } catch (error) {
    if (!(isCoffreError(error) && (error.code === 'COFFRE_DATA_KEY_UNAVAILABLE' || error.code === 'COFFRE_DECRYPT_FAILED'))) throw error
    ctx.rowCache.invalidate(cached.user.id)
    const fresh = await requireUserRows(ctx, { id: cached.user.id })
    const again = pick(fresh)
    if (again.value !== picked.value) ctx.rowCache.set(fresh)
    return { holder: again.holder, key: await audited(again) }
  }
}

async function finishKeyUse<T>(ctx: VaultContext, key: Uint8Array, holder: KeyHolder, subject: string, use: KeyUse, fn: (privateKey: Uint8Array, holder: KeyHolder) => T | Promise<T>): Promise<T> {
  const authorized = use.authorized
  const ruled: Record<string, string> = authorized === undefined ? {} : { policy: authorized.policy, rule: authorized.ruleId }
  const record = async (outcome: 'ok' | 'failed') => {
    const entry = { action: 'key.use', actor: use.actor ?? DEFAULT_ACTOR, userId: holder.userId, subject, details: { purpose: use.purpose, outcome, ...ruled, ...use.details } }
    if (outcome === 'ok' && authorized !== undefined && authorized.charges.length > 0) {
      // The velocity charges and the key-use entry commit together; a refused charge discards the result.
      const { refusedBy } = await ctx.audit.appendCharged(entry, authorized.charges, (ruleId) => denialEntry(use, holder.userId, authorized.operation, authorized.policy, ruleId, 'velocity limit exceeded'))
      if (refusedBy !== null) {
        ctx.observer.audited?.('policy.deny', 1)
        throw policyDenied(refusedBy, 'velocity limit exceeded', authorized.operation)
      }
    } else await ctx.audit.append(entry)
    ctx.observer.audited?.('key.use', 1)
    ctx.logger.info({ audit: entry.action, actor: entry.actor, userId: entry.userId, subject, purpose: use.purpose, outcome }, 'audit')
  }
  let result: T
  try {
    result = await fn(key, holder)
  } catch (error) {
    key.fill(0)
    await record('failed')
    throw error
  }
  key.fill(0)
  await record('ok')
  return result
}
