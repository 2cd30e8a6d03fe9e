/** The context a user's backup shares are bound to: "<vaultId>:<userId>" (shares of another vault or user fail the digest). */
import { CoffreError } from '../../errors.ts'
import { readVaultId } from '../../store/vaultMeta.ts'
import type { VaultContext } from '../context.ts'

export async function userBackupContext(ctx: VaultContext, userId: string): Promise<string> {
  const vaultId = await readVaultId(ctx.store.db)
  if (vaultId === undefined) throw new CoffreError('COFFRE_INVALID_CONFIG', 'the vault has no id (coffre_meta.vault_id)')
  return `${vaultId}:${userId}`
}
