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

export type ApiToken = {
  readonly id: string
  readonly name: string
  readonly scopes: readonly Scope[]
  readonly createdAt: string
  readonly revokedAt: string | null
}

export type CreatedToken = ApiToken & { readonly token: string }

const NAME_PATTERN = /^[A-Za-z0-9._:@-]{1,64}$/

export function createTokenService(ctx: VaultContext) {
  const db = ctx.store.db
  const toToken = (row: { id: string; name: string; scopes: string; created_at: string; revoked_at: string | null }): ApiToken => ({
    id: row.id,
    name: row.name,
    scopes: parseScopes(JSON.parse(row.scopes)),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
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
    async create(input: { name?: string; scopes: unknown }, options: ActionOptions = {}): Promise<CreatedToken> {
      const scopes = parseScopes(input?.scopes)
      const name = input.name ?? 'token'
      if (typeof name !== 'string' || !NAME_PATTERN.test(name)) throw invalidInput('token name must be 1 to 64 characters of A-Z a-z 0-9 . _ : @ -')
      const token = newTokenText()
      const row = { id: newTokenId(), name, token_hash: hashToken(token), scopes: JSON.stringify(scopes), created_at: new Date().toISOString(), revoked_at: null }
      await db.transaction().execute(async (trx) => {
        await insertApiToken(trx, { ...row, row_mac: ctx.integrity.macOf('api_tokens', row) })
        await appendAuditEntries(trx, ctx.store.dialect, [{ action: 'token.create', actor: options.actor ?? DEFAULT_ACTOR, subject: `token:${row.id}`, details: { name, scopes: scopes.join(',') } }])
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
     * The live token this text names, or null (malformed, unknown, revoked or forged — a row that
     * does not authenticate under the MAC key, audited as `integrity.failed` — the caller cannot tell which).
     */
    async authenticate(text: string): Promise<ApiToken | null> {
      if (typeof text !== 'string' || !looksLikeToken(text)) return null
      const hash = hashToken(text)
      const row = await findApiTokenByHash(db, hash)
      if (row === undefined || !sameHash(row.token_hash, hash)) return null
      if (!authentic(row) || row.revoked_at !== null) return null
      return toToken(row)
    },
  }
}

export type TokenService = ReturnType<typeof createTokenService>
