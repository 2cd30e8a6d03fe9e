/**
 * Stores API credentials that come from elsewhere (the legacy import, an operator) inside the
 * caller's write transaction: `clob_credentials` row, secret and passphrase sealed. The caller
 * commits the sealer and appends the audit entry (writeWithSecrets does both).
 */
import type { Transaction } from 'kysely'
import type { SecretSealer } from '../keyring/secretSealer.ts'
import { invalidInput } from '../../errors.ts'
import { newUuidV7 } from '../../ids.ts'
import { findCredentialByKey, insertCredential } from './credentialRows.ts'
import type { Database } from '../../store/schema.ts'
import type { VaultContext } from '../context.ts'
import { sealCredentialSecrets } from './credentialSecrets.ts'

export type ImportedCredentials = {
  readonly userId: string
  /** The EVM address the key was issued to (POLY_ADDRESS). */
  readonly address: string
  readonly apiKey: string
  readonly secret: Uint8Array | string
  readonly passphrase: Uint8Array | string
  readonly chainId: number
  readonly baseUrl: string
  readonly nonce?: number
  readonly kind?: 'trading'
  readonly createdAt?: string
}

/** Inserts the credentials unless this CLOB's key is already stored; returns the row id either way. */
export async function storeImportedCredentials(ctx: VaultContext, trx: Transaction<Database>, sealer: SecretSealer, input: ImportedCredentials): Promise<{ inserted: boolean; id: string }> {
  if (typeof input?.apiKey !== 'string' || input.apiKey === '' || input.apiKey.length > 200) throw invalidInput('apiKey must be a non-empty string')
  const existing = await findCredentialByKey(ctx, trx, input.baseUrl, input.apiKey)
  if (existing !== undefined) return { inserted: false, id: existing.id }
  const id = newUuidV7()
  const identity = { id, user_id: input.userId, api_key: input.apiKey }
  const inserted = await insertCredential(ctx, trx, {
    ...identity,
    address: input.address,
    kind: input.kind ?? 'trading',
    ...sealCredentialSecrets(sealer, identity, input.secret, input.passphrase),
    nonce: input.nonce ?? 0,
    state: 'active',
    chain_id: input.chainId,
    base_url: input.baseUrl,
    created_at: input.createdAt ?? new Date().toISOString(),
    rotated_at: null,
    revoked_at: null,
  })
  return { inserted, id }
}
