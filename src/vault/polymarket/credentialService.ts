/**
 * vault.polymarket.credentials: a user's CLOB API keys. L1 requests are signed with the user's
 * Polygon key through useWalletKey (one decrypt per signature); L2 requests open the stored
 * secret and passphrase through openCredentials (audited per use). Rotation is crash-safe: the
 * new key is stored before the old one is deleted, and a rotation found half done (two active
 * keys) is finished by the next `rotate`.
 * (Over 200 lines on purpose: create, rotate and revoke share the L1/L2 helpers and the half-done
 * rotation rules; splitting them would spread one lifecycle over files.)
 */
import { CoffreError, invalidInput } from '../../errors.ts'
import { newUuidV7 } from '../../ids.ts'
import type { ApiCredentials } from '../../polymarket/l2Headers.ts'
import type { ClobClient } from '../../polymarket/clobClient.ts'
import { upstreamFailure } from '../../polymarket/upstreamError.ts'
import { verifyCredentials, type VerifyOptions } from '../../polymarket/verifyCredentials.ts'
import { findCredentialByKey, findCredentials, insertCredential, markCredentialActive, markCredentialRevoked, type ClobCredentialRow } from './credentialRows.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'
import { writeWithSecrets } from '../writeTransaction.ts'
import { adoptLegacyCredentials } from './adoptLegacyCredentials.ts'
import { toCredentialInfo, type CredentialInfo } from './credentialInfo.ts'
import { openCredentials, sealCredentialSecrets } from './credentialSecrets.ts'
import type { ResolvedPolymarketConfig } from './options.ts'
import { vaultEvmSigner } from './vaultSigner.ts'
import { authorize, settleCharges } from '../policies/authorize.ts'

export type CredentialDeps = { readonly ctx: VaultContext; readonly client: () => ClobClient; readonly config: ResolvedPolymarketConfig; readonly verify: VerifyOptions }
export type Holder = { readonly userId: string; readonly address: string }

export type RotationResult = { readonly current: CredentialInfo; readonly revoked: readonly string[]; readonly verifyAttempts: number }
export type KeyListing = { readonly stored: readonly CredentialInfo[]; readonly clobApiKeys: readonly string[] | null }

export function createCredentialService(deps: CredentialDeps) {
  const { ctx, config } = deps
  const rotations = new Map<string, Promise<RotationResult>>()
  const actorOf = (options: ActionOptions) => options.actor ?? DEFAULT_ACTOR
  const scope = (userId: string) => ({ userId, baseUrl: config.baseUrl })

  async function holderOf(ref: UserRef): Promise<Holder> {
    const { user, wallets } = await requireUserRows(ctx, ref)
    const polygon = wallets.find((w) => w.chain === 'polygon')
    if (polygon === undefined) throw new CoffreError('COFFRE_UNSUPPORTED', 'user has no polygon wallet')
    return { userId: user.id, address: polygon.address }
  }

  /** Newest active trading key of the user at this CLOB, adopting a legacy one if allowed. */
  async function currentRow(holder: Holder, actor: string): Promise<ClobCredentialRow | undefined> {
    const [newest] = await findCredentials(ctx, ctx.store.db, { ...scope(holder.userId), kind: 'trading', state: 'active' })
    if (newest !== undefined || !config.adoptLegacy) return newest
    return adoptLegacyCredentials(ctx, holder, config, actor)
  }

  async function requireCurrent(holder: Holder, actor: string): Promise<ClobCredentialRow> {
    const row = await currentRow(holder, actor)
    if (row === undefined) throw new CoffreError('COFFRE_NOT_FOUND', 'this user has no active Polymarket API key: create one first')
    return row
  }

  /** Stores credentials the CLOB issued (or marks a known key active again); one transaction with its audit row. */
  async function persist(holder: Holder, credentials: ApiCredentials, nonce: number, how: string, actor: string): Promise<ClobCredentialRow> {
    await writeWithSecrets(ctx, async (trx, sealer) => {
      const existing = await findCredentialByKey(ctx, trx, config.baseUrl, credentials.key)
      if (existing !== undefined) {
        if (existing.user_id !== holder.userId) throw new CoffreError('COFFRE_CONFLICT', 'this API key is stored for another user')
        if (existing.state !== 'active') await markCredentialActive(ctx, trx, existing)
        return { result: existing.id, audit: [{ action: 'polymarket.credentials.confirm', actor, userId: holder.userId, subject: `polymarket:${credentials.key}`, details: { how, nonce } }] }
      }
      const id = newUuidV7()
      const identity = { id, user_id: holder.userId, api_key: credentials.key }
      await insertCredential(ctx, trx, {
        ...identity, address: holder.address, kind: 'trading', ...sealCredentialSecrets(sealer, identity, credentials.secret, credentials.passphrase),
        nonce, state: 'active', chain_id: config.chainId, base_url: config.baseUrl, created_at: new Date().toISOString(), rotated_at: null, revoked_at: null,
      })
      return { result: id, audit: [{ action: 'polymarket.credentials.store', actor, userId: holder.userId, subject: `polymarket:${credentials.key}`, details: { how, nonce, chainId: config.chainId } }] }
    }, { encryptions: 2 })
    const row = await findCredentialByKey(ctx, ctx.store.db, config.baseUrl, credentials.key)
    if (row === undefined) throw new CoffreError('COFFRE_INTERNAL', 'stored credentials vanished')
    return row
  }

  async function createOrDeriveFor(holder: Holder, nonce: number, actor: string): Promise<ClobCredentialRow> {
    const signer = vaultEvmSigner(ctx, holder, { purpose: 'polymarket.l1-auth', actor, details: { nonce } })
    const credentials = await deps.client().createOrDeriveApiKey(signer, { nonce })
    return persist(holder, credentials, nonce, 'create-or-derive', actor)
  }

  async function markRevoked(row: ClobCredentialRow, actor: string, details: Record<string, string | number | boolean>, rotated = false): Promise<void> {
    await writeWithSecrets(ctx, async (trx) => {
      await markCredentialRevoked(ctx, trx, row, new Date().toISOString(), rotated)
      return { result: undefined, audit: [{ action: rotated ? 'polymarket.credentials.rotate-out' : 'polymarket.credentials.revoke', actor, userId: row.user_id, subject: `polymarket:${row.api_key}`, details }] }
    })
  }

  /** Deletes a trading key at the CLOB (authenticating with that key); a 401 means it is already unusable. */
  async function deleteAtClob(row: ClobCredentialRow, actor: string, tolerateUnauthorized: boolean): Promise<boolean> {
    try {
      await deps.client().deleteApiKey(await openCredentials(ctx, row, { purpose: 'polymarket.delete-api-key', actor }))
      return true
    } catch (error) {
      if (tolerateUnauthorized && upstreamFailure(error)?.status === 401) return false
      throw error
    }
  }

  async function rotateFor(holder: Holder, actor: string): Promise<RotationResult> {
    let old = await findCredentials(ctx, ctx.store.db, { ...scope(holder.userId), kind: 'trading', state: 'active' })
    if (old.length === 0) {
      const adopted = await currentRow(holder, actor)
      if (adopted === undefined) throw new CoffreError('COFFRE_NOT_FOUND', 'this user has no active Polymarket API key to rotate')
      old = [adopted]
    }
    let next: ClobCredentialRow
    let previous: ClobCredentialRow[]
    if (old.length > 1) {
      // A rotation stopped after storing its new key: finish it with that key.
      ;[next, ...previous] = old as [ClobCredentialRow, ...ClobCredentialRow[]]
    } else {
      const all = await findCredentials(ctx, ctx.store.db, { ...scope(holder.userId), kind: 'trading' })
      const nonce = Math.max(...all.map((r) => Number(r.nonce))) + 1
      next = await createOrDeriveFor(holder, nonce, actor)
      previous = old.filter((r) => r.id !== next.id)
    }
    const { attempts } = await verifyCredentials(deps.client(), await openCredentials(ctx, next, { purpose: 'polymarket.verify-api-key', actor }), deps.verify)
    const revoked: string[] = []
    for (const row of previous) {
      const deleted = await deleteAtClob(row, actor, true)
      await markRevoked(row, actor, { replacedBy: next.api_key, deletedAtClob: deleted }, true)
      revoked.push(row.api_key)
    }
    return { current: toCredentialInfo(next), revoked, verifyAttempts: attempts }
  }

  async function readonlyRow(holder: Holder, key: string): Promise<ClobCredentialRow> {
    const row = await findCredentialByKey(ctx, ctx.store.db, config.baseUrl, key)
    if (row === undefined || row.user_id !== holder.userId) throw new CoffreError('COFFRE_NOT_FOUND', 'this user has no such API key')
    return row
  }

  /** The caller's signing policy judges a credential creation (ClobAuth signature) before the key is used; its charges are paid at once. */
  async function authorizeCredentials(ref: UserRef, options: ActionOptions): Promise<void> {
    const authorized = await authorize(ctx, options, ref, { operation: 'polymarket.credentials', chainId: config.chainId })
    await settleCharges(ctx, options, (await holderOf(ref)).userId, authorized)
  }

  return {
    /** POST /auth/api-key, or GET /auth/derive-api-key when the CLOB already has a key for the nonce; stored encrypted. */
    async createOrDerive(ref: UserRef, options: ActionOptions & { nonce?: number } = {}): Promise<CredentialInfo> {
      if (options.nonce !== undefined && (!Number.isSafeInteger(options.nonce) || options.nonce < 0)) throw invalidInput('nonce must be a non-negative integer')
      await authorizeCredentials(ref, options)
      const holder = await holderOf(ref)
      const current = await currentRow(holder, actorOf(options))
      return toCredentialInfo(await createOrDeriveFor(holder, options.nonce ?? (current === undefined ? 0 : Number(current.nonce)), actorOf(options)))
    },

    /** Stored keys (never secrets) and, when the user has an active key, the keys GET /auth/api-keys reports. */
    async list(ref: UserRef, options: ActionOptions = {}): Promise<KeyListing> {
      const holder = await holderOf(ref)
      const current = await currentRow(holder, actorOf(options))
      const stored = (await findCredentials(ctx, ctx.store.db, scope(holder.userId))).map(toCredentialInfo)
      if (current === undefined) return { stored, clobApiKeys: null }
      const clobApiKeys = await deps.client().getApiKeys(await openCredentials(ctx, current, { purpose: 'polymarket.list-api-keys', actor: actorOf(options) }))
      return { stored, clobApiKeys }
    },

    /** DELETE /auth/api-key for `key` (default: the current key), then marks it revoked. A read-only key is deleted with the current key. */
    async revoke(ref: UserRef, key?: string, options: ActionOptions = {}): Promise<CredentialInfo> {
      if (key !== undefined && (typeof key !== 'string' || key === '')) throw invalidInput('key must be an API key')
      const holder = await holderOf(ref)
      const actor = actorOf(options)
      const row = key === undefined ? await requireCurrent(holder, actor) : await readonlyRow(holder, key)
      if (row.state === 'revoked') return toCredentialInfo(row)
      if (row.kind === 'readonly') {
        const current = await requireCurrent(holder, actor)
        await deps.client().deleteReadonlyApiKey(await openCredentials(ctx, current, { purpose: 'polymarket.delete-readonly-key', actor }), row.api_key)
      } else {
        await deleteAtClob(row, actor, false)
      }
      await markRevoked(row, actor, { kind: row.kind })
      return toCredentialInfo((await findCredentialByKey(ctx, ctx.store.db, config.baseUrl, row.api_key)) as ClobCredentialRow)
    },

    /** New key with the next nonce, verified (401s retried through the activation window), then the old key deleted. */
    async rotate(ref: UserRef, options: ActionOptions = {}): Promise<RotationResult> {
      await authorizeCredentials(ref, options)
      const holder = await holderOf(ref)
      const running = rotations.get(holder.userId)
      if (running !== undefined) return running
      const rotation = rotateFor(holder, actorOf(options)).finally(() => rotations.delete(holder.userId))
      rotations.set(holder.userId, rotation)
      return rotation
    },

    readonly: {
      async create(ref: UserRef, options: ActionOptions = {}): Promise<CredentialInfo> {
        await authorizeCredentials(ref, options)
        const holder = await holderOf(ref)
        const actor = actorOf(options)
        const current = await requireCurrent(holder, actor)
        const apiKey = await deps.client().createReadonlyApiKey(await openCredentials(ctx, current, { purpose: 'polymarket.create-readonly-key', actor }))
        await writeWithSecrets(ctx, async (trx) => {
          await insertCredential(ctx, trx, {
            id: newUuidV7(), user_id: holder.userId, address: holder.address, kind: 'readonly', api_key: apiKey, secret_ciphertext: null, passphrase_ciphertext: null,
            nonce: 0, state: 'active', chain_id: config.chainId, base_url: config.baseUrl, created_at: new Date().toISOString(), rotated_at: null, revoked_at: null,
          })
          return { result: undefined, audit: [{ action: 'polymarket.readonly-key.store', actor, userId: holder.userId, subject: `polymarket:${apiKey}` }] }
        })
        return toCredentialInfo((await findCredentialByKey(ctx, ctx.store.db, config.baseUrl, apiKey)) as ClobCredentialRow)
      },
      async list(ref: UserRef, options: ActionOptions = {}): Promise<KeyListing> {
        const holder = await holderOf(ref)
        const actor = actorOf(options)
        const current = await requireCurrent(holder, actor)
        const clobApiKeys = await deps.client().getReadonlyApiKeys(await openCredentials(ctx, current, { purpose: 'polymarket.list-readonly-keys', actor }))
        const stored = (await findCredentials(ctx, ctx.store.db, { ...scope(holder.userId), kind: 'readonly' })).map(toCredentialInfo)
        return { stored, clobApiKeys }
      },
      async delete(ref: UserRef, key: string, options: ActionOptions = {}): Promise<CredentialInfo> {
        if (typeof key !== 'string' || key === '') throw invalidInput('key must be a read-only API key')
        const holder = await holderOf(ref)
        const row = await readonlyRow(holder, key)
        if (row.kind !== 'readonly') throw invalidInput('this is a trading key: use revoke')
        const actor = actorOf(options)
        const current = await requireCurrent(holder, actor)
        await deps.client().deleteReadonlyApiKey(await openCredentials(ctx, current, { purpose: 'polymarket.delete-readonly-key', actor }), key)
        await markRevoked(row, actor, { kind: 'readonly' })
        return toCredentialInfo((await findCredentialByKey(ctx, ctx.store.db, config.baseUrl, key)) as ClobCredentialRow)
      },
    },

    /** For the order path: the user's current key, created or derived (nonce 0) when there is none. */
    async ensureCurrent(holder: Holder, actor: string): Promise<ClobCredentialRow> {
      return (await currentRow(holder, actor)) ?? createOrDeriveFor(holder, 0, actor)
    },
    currentRow,
    holderOf,
  }
}

export type CredentialService = ReturnType<typeof createCredentialService>
