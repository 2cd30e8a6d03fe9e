/** `vault.users.backup`: per-user Shamir backups of the wallet entropy (create, restore, list). */
import { listUserBackups } from '../../store/userBackups.ts'
import type { ActionOptions, VaultContext } from '../context.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'
import type { BackupObjectStoreSource } from './backupPlacement.ts'
import { createUserBackup, toUserBackup, type CreatedUserBackup, type CreateUserBackupInput, type UserBackup } from './createUserBackup.ts'
import { restoreUserBackup, type RestoredUserBackup, type RestoreUserBackupInput } from './restoreUserBackup.ts'

export type UserBackupService = {
  /** Splits the user's entropy t-of-3 and places the shares; share 3 comes back sealed, once. */
  create(ref: UserRef, input: CreateUserBackupInput, options?: ActionOptions): Promise<CreatedUserBackup>
  /** Restores (or with verifyOnly checks) the user's secrets from t shares; refuses another wallet. */
  restore(ref: UserRef, input: RestoreUserBackupInput, options?: ActionOptions): Promise<RestoredUserBackup>
  /** The user's backups, oldest first (where each share went; no share). */
  list(ref: UserRef): Promise<UserBackup[]>
}

export function createUserBackupService(ctx: VaultContext, objectStore: BackupObjectStoreSource | undefined): UserBackupService {
  return {
    create: (ref, input, options) => createUserBackup(ctx, objectStore, ref, input, options),
    restore: (ref, input, options) => restoreUserBackup(ctx, objectStore, ref, input, options),
    async list(ref) {
      const { user } = await requireUserRows(ctx, ref)
      return (await listUserBackups(ctx.store.db, user.id)).map(toUserBackup)
    },
  }
}
