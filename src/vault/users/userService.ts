/** `vault.users`: create (idempotent per telegram id), find, list, count, import and export users. */
import { countUsers } from '../../store/users.ts'
import type { ActionOptions, VaultContext } from '../context.ts'
import { createUserService, type CreateUserInput, type CreateUserResult } from './createUser.ts'
import { exportSealed, type SealedExport } from './exportSealed.ts'
import { exportUserWallet, type ExportedWallet } from './exportUser.ts'
import { findUserRows, type UserRef } from './findUser.ts'
import { importUser, type ImportUserInput } from './importUser.ts'
import { listUsers, type ListUsersOptions, type UserPage } from './listUsers.ts'
import { toUser, type User } from './user.ts'
import { authorize, settleCharges } from '../policies/authorize.ts'

export type ExportOptions = ActionOptions & { readonly reason?: string }

export type UserService = {
  /** Creates the user (BIP-39 wallet, Polygon + Solana, identity key) or returns the existing one. */
  create(input: CreateUserInput, options?: ActionOptions): Promise<User>
  /** As `create`, and says whether it created. */
  ensure(input: CreateUserInput, options?: ActionOptions): Promise<CreateUserResult>
  /** Many users at once (worker threads derive the wallets). */
  ensureMany(inputs: readonly CreateUserInput[], options?: ActionOptions & { chunk?: number }): Promise<CreateUserResult[]>
  /** Starts the bulk-derivation workers ahead of the first `ensureMany`. */
  warmUp(): Promise<void>
  get(ref: UserRef): Promise<User | null>
  list(options?: ListUsersOptions): Promise<UserPage>
  count(): Promise<number>
  import(input: ImportUserInput, options?: ActionOptions): Promise<CreateUserResult>
  /** The mnemonic and keys in plaintext (audited): for the CLI and embedding code. */
  export(ref: UserRef, options?: ExportOptions): Promise<ExportedWallet>
  /** The same export HPKE-sealed to `recipientPublicKey` (base64 X25519) inside the vault: only ciphertext comes out. */
  exportSealed(ref: UserRef, recipientPublicKey: string, options?: ExportOptions): Promise<SealedExport>
}

export function createUsers(ctx: VaultContext): UserService & { close(): Promise<void> } {
  const creator = createUserService(ctx)
  /** The caller's signing policy judges each creation, import and export before any key is made or decrypted. */
  const gate = async (operation: 'users.create' | 'users.import' | 'users.export', ref: UserRef | null, options: ActionOptions = {}) => {
    const authorized = await authorize(ctx, options, ref, { operation })
    await settleCharges(ctx, options, null, authorized)
  }
  return {
    create: async (input, options) => {
      await gate('users.create', null, options)
      return (await creator.ensure(input, options)).user
    },
    async ensure(input, options) {
      await gate('users.create', null, options)
      return creator.ensure(input, options)
    },
    async ensureMany(inputs, options) {
      await gate('users.create', null, options)
      return creator.ensureMany(inputs, options)
    },
    warmUp: creator.warmUp,
    async get(ref) {
      const rows = await findUserRows(ctx, ref)
      return rows === undefined ? null : toUser(rows.user, rows.wallets)
    },
    list: (options) => listUsers(ctx, options),
    count: () => countUsers(ctx.store.db),
    async import(input, options) {
      await gate('users.import', null, options)
      return importUser(ctx, input, options)
    },
    async export(ref, options) {
      await gate('users.export', ref, options)
      return exportUserWallet(ctx, ref, options)
    },
    async exportSealed(ref, recipientPublicKey, options) {
      await gate('users.export', ref, options)
      return exportSealed(ctx, ref, recipientPublicKey, options)
    },
    close: () => creator.close(),
  }
}
