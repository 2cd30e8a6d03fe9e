/**
 * `clob_credentials` rows through row integrity: every row read must authenticate (a key moved to
 * another user or CLOB, or revived by SQL, is COFFRE_INTEGRITY_FAILED and never used to sign), and
 * every row written or changed gets its MAC. The same operations as store/polymarketCredentials.ts,
 * with the vault context first.
 */
import type { Transaction } from 'kysely'
import * as store from '../../store/polymarketCredentials.ts'
import type { ClobCredentialRow, CredentialScope, NewClobCredentialRow } from '../../store/polymarketCredentials.ts'

export type { ClobCredentialRow } from '../../store/polymarketCredentials.ts'
import type { Database } from '../../store/schema.ts'
import type { Executor } from '../keyring/dataKeyStore.ts'
import type { VaultContext } from '../context.ts'

export async function findCredentials(ctx: VaultContext, via: Executor, scope: CredentialScope): Promise<ClobCredentialRow[]> {
  const rows = await store.findCredentials(via, scope)
  for (const row of rows) ctx.integrity.require('clob_credentials', row)
  return rows
}

export async function findCredentialByKey(ctx: VaultContext, via: Executor, baseUrl: string, apiKey: string): Promise<ClobCredentialRow | undefined> {
  const row = await store.findCredentialByKey(via, baseUrl, apiKey)
  if (row !== undefined) ctx.integrity.require('clob_credentials', row)
  return row
}

export function insertCredential(ctx: VaultContext, trx: Transaction<Database>, row: NewClobCredentialRow & { nonce: number }): Promise<boolean> {
  return store.insertCredential(trx, { ...row, row_mac: ctx.integrity.macOf('clob_credentials', row) })
}

export function markCredentialRevoked(ctx: VaultContext, trx: Transaction<Database>, row: ClobCredentialRow, at: string, rotated: boolean): Promise<void> {
  return store.markCredentialRevoked(trx, row.id, at, rotated, ctx.integrity.macOf('clob_credentials', { ...row, state: 'revoked' }))
}

export function markCredentialActive(ctx: VaultContext, trx: Transaction<Database>, row: ClobCredentialRow): Promise<void> {
  return store.markCredentialActive(trx, row.id, ctx.integrity.macOf('clob_credentials', { ...row, state: 'active' }))
}
