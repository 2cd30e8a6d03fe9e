/** `client.users`: create (idempotent per telegram id), get, find by telegram id, list, import, export. */
import { call, dataOf, initOf, type Api } from './call.ts'
import type { CallOptions, CreatedUserBackup, CreateUserBackupInput, CreateUserInput, EnsuredUser, ExportEnvelope, ExportUserInput, ImportUserInput, RestoredUserBackup, RestoreUserBackupInput, User, UserPage } from './types.ts'

export function userMethods(api: Api) {
  return {
    /** Creates the user with a new wallet; for a telegram id that exists, returns that user (`created: false`). */
    async create(input: CreateUserInput, options?: CallOptions): Promise<EnsuredUser> {
      const { data, response } = await call(api.POST('/v1/users', { body: input, ...initOf(options) }))
      return { ...data, created: response.status === 201 }
    },
    get: (userId: string, options?: CallOptions): Promise<User> => dataOf(api.GET('/v1/users/{id}', { params: { path: { id: userId } }, ...initOf(options) })),
    /** The user with this telegram id, or null. */
    async findByTelegramId(telegramUserId: number | bigint, options?: CallOptions): Promise<User | null> {
      const page = await dataOf(api.GET('/v1/users', { params: { query: { telegramUserId: String(telegramUserId) } }, ...initOf(options) }))
      return page.users[0] ?? null
    },
    /** A page of users in creation order; pass `nextCursor` back as `cursor` for the next. */
    list: (query: { cursor?: string; limit?: number } = {}, options?: CallOptions): Promise<UserPage> =>
      dataOf(api.GET('/v1/users', { params: { query: { ...(query.cursor === undefined ? {} : { cursor: query.cursor }), ...(query.limit === undefined ? {} : { limit: String(query.limit) }) } }, ...initOf(options) })),
    /** Imports a wallet (a mnemonic, or a Polygon key and a Solana key); `created: false` when the telegram id already had it. */
    async import(input: ImportUserInput, options?: CallOptions): Promise<EnsuredUser> {
      const { data, response } = await call(api.POST('/v1/users/import', { body: input, ...initOf(options) }))
      return { ...data, created: response.status === 201 }
    },
    /** The wallet sealed with HPKE to `recipientPublicKey` (docs/export.md); audited. */
    export: (userId: string, input: ExportUserInput, options?: CallOptions): Promise<ExportEnvelope> =>
      dataOf(api.POST('/v1/users/{id}/export', { params: { path: { id: userId } }, body: input, ...initOf(options) })),
    /** A Shamir backup of the wallet (docs/recovery.md): share 3 comes back sealed to `userShare` — keep it, it is shown once. */
    createBackup: (userId: string, input: CreateUserBackupInput, options?: CallOptions): Promise<CreatedUserBackup> =>
      dataOf(api.POST('/v1/users/{id}/backup', { params: { path: { id: userId } }, body: input, ...initOf(options) })),
    /** Restores (or with `verifyOnly` checks) the wallet from t backup shares; refused unless they give back the stored addresses. */
    restoreBackup: (userId: string, input: RestoreUserBackupInput, options?: CallOptions): Promise<RestoredUserBackup> =>
      dataOf(api.POST('/v1/users/{id}/backup/restore', { params: { path: { id: userId } }, body: input, ...initOf(options) })),
  }
}
