/**
 * API tokens for the HTTP service: created (shown once, stored as a hash), listed, revoked and
 * checked. Creation and revocation are audited in the same transaction as the write.
 */
import { CoffreError, invalidInput } from '../../errors.ts'
import { findApiToken, findApiTokenByHash, insertApiToken, listApiTokens, markApiTokenRevoked, type StoredApiToken } from '../../store/apiTokens.ts'
import { appendAuditEntries } from '../../store/audit/append.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import { parseScopes, type Scope } from './scopes.ts'
import { hashToken, looksLikeToken, newTokenId, newTokenText, sameHash } from './tokenText.ts'
import { DEFAULT_TOKEN_LIFETIME, parseLifetime, parseNamespace, requirePolicyFor } from './tokenTerms.ts'
import { policyName } from '../../policy/schema/policyDocument.ts'
import { resolvePolicy } from '../policies/resolvePolicy.ts'
import type { Principal } from '../policies/principal.ts'
import type { ApiTokenRow } from '../../store/apiTokens.ts'

export type ApiToken = {
  readonly id: string
  readonly name: string
  readonly scopes: readonly Scope[]
  readonly createdAt: string
  readonly revokedAt: string | null
  /** After this instant the token is refused (401); null: made before expiries existed. */
  readonly expiresAt: string | null
  /** The signing policy it runs under; null: made before policies (runs under allow-all). */
  readonly policy: string | null
  /** The namespace it is confined to; null: global. */
  readonly namespace: string | null
}

export type CreatedToken = ApiToken & { readonly token: string }

export type CreateTokenInput = {
  readonly name?: string
  readonly scopes: unknown
  /** A policy name (stored or built-in: allow-all, polymarket-trader); required with sign, export or users:write. */
  readonly policy?: string
  readonly namespace?: string
  /** `30d`, `12h`…; default 90 days. */
  readonly expiresIn?: string | number
}

/** The principal a token acts as, for policy enforcement. */
export const principalOf = (token: ApiToken): Principal => ({ kind: 'token', id: token.id, name: token.name, policy: token.policy, namespace: token.namespace })

const NAME_PATTERN = /^[A-Za-z0-9._:@-]{1,64}$/

export function createTokenService(ctx: VaultContext) {
  const db = ctx.store.db
  const toToken = (row: ApiTokenRow): ApiToken => ({
    id: row.id,
    name: row.name,
    scopes: parseScopes(JSON.parse(row.scopes)),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    expiresAt: row.expires_at,
    policy: row.policy,
    namespace: row.namespace,
  })

  const authentic = (row: StoredApiToken): boolean => {
    try {
      ctx.integrity.require('api_tokens', row)
      return true
    } catch {
      return false
    }
  }

  return {
    /** Makes a token; the returned `token` text is never stored and cannot be shown again. */
    async create(input: CreateTokenInput, options: ActionOptions = {}): Promise<CreatedToken> {
      const scopes = parseScopes(input?.scopes)
      const name = input.name ?? 'token'
      if (typeof name !== 'string' || !NAME_PATTERN.test(name)) throw invalidInput('token name must be 1 to 64 characters of A-Z a-z 0-9 . _ : @ -')
      const policy = input.policy ?? null
      if (policy !== null && !policyName.safeParse(policy).success) throw invalidInput('policy must be a policy name (lowercase letters, digits and . _ -)')
      requirePolicyFor(scopes, policy)
      if (policy !== null) await resolvePolicy(ctx, policy)
      const namespace = parseNamespace(input.namespace)
      const lifetime = parseLifetime(input.expiresIn ?? DEFAULT_TOKEN_LIFETIME)
      const token = newTokenText()
      const now = Date.now()
      const row = {
        id: newTokenId(),
        name,
        token_hash: hashToken(token),
        scopes: JSON.stringify(scopes),
        created_at: new Date(now).toISOString(),
        revoked_at: null,
        expires_at: new Date(now + lifetime * 1000).toISOString(),
        policy,
        namespace,
      }
      await db.transaction().execute(async (trx) => {
        await insertApiToken(trx, { ...row, row_mac: ctx.integrity.macOf('api_tokens', row) })
        const details = { name, scopes: scopes.join(','), expiresAt: row.expires_at, policy, namespace }
        await appendAuditEntries(trx, ctx.store.dialect, [{ action: 'token.create', actor: options.actor ?? DEFAULT_ACTOR, subject: `token:${row.id}`, details }])
      })
      ctx.observer.audited?.('token.create', 1)
      return { ...toToken(row), token }
    },

    async list(): Promise<ApiToken[]> {
      const rows = await listApiTokens(db)
      return rows.map(toToken)
    },

    /** Revokes a token by id; revoking twice is a no-op. */
    async revoke(id: string, options: ActionOptions = {}): Promise<ApiToken> {
      if (typeof id !== 'string' || !/^tok_[0-9a-f]{16}$/.test(id)) throw invalidInput('token id must look like tok_ followed by 16 hex digits')
      const at = new Date().toISOString()
      const row = await db.transaction().execute(async (trx) => {
        const found = await findApiToken(trx, id)
        if (found === undefined) throw new CoffreError('COFFRE_NOT_FOUND', 'no such token')
        // A forged row is not made valid by revoking it; it stays as it is (unusable) and is refused here.
        ctx.integrity.require('api_tokens', found)
        if (found.revoked_at !== null) return found
        await markApiTokenRevoked(trx, id, at, ctx.integrity.macOf('api_tokens', { ...found, revoked_at: at }))
        await appendAuditEntries(trx, ctx.store.dialect, [{ action: 'token.revoke', actor: options.actor ?? DEFAULT_ACTOR, subject: `token:${id}`, details: { name: found.name } }])
        return { ...found, revoked_at: at }
      })
      if (row.revoked_at === at) ctx.observer.audited?.('token.revoke', 1)
      return toToken(row)
    },

    /**
     * The live token this text names, or null (malformed, unknown, revoked, expired or forged — a
     * row that does not authenticate under the MAC key, audited as `integrity.failed` — the caller
     * cannot tell which).
     */
    async authenticate(text: string): Promise<ApiToken | null> {
      if (typeof text !== 'string' || !looksLikeToken(text)) return null
      const hash = hashToken(text)
      const row = await findApiTokenByHash(db, hash)
      if (row === undefined || !sameHash(row.token_hash, hash)) return null
      if (!authentic(row) || row.revoked_at !== null) return null
      if (row.expires_at !== null && Date.parse(row.expires_at) <= Date.now()) return null
      return toToken(row)
    },
  }
}

export type TokenService = ReturnType<typeof createTokenService>
