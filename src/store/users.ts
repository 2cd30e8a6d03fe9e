/** User and wallet rows. A user and its wallets are always written together in one transaction. */
import type { Kysely, Transaction } from 'kysely'
import type { Database, UsersTable, WalletsTable } from './schema.ts'

type Executor = Kysely<Database> | Transaction<Database>
export type UserRow = UsersTable
export type WalletRow = WalletsTable
export type UserWithWallets = { user: UserRow; wallets: WalletRow[] }

/**
 * Inserts the user unless its telegram id exists (ON CONFLICT DO NOTHING on both engines: a
 * concurrent creator of the same id waits for the first and then inserts nothing).
 * Returns false when the user already existed; the wallets are then not written.
 */
export async function insertUserWithWallets(trx: Transaction<Database>, user: UserRow, wallets: readonly WalletRow[]): Promise<boolean> {
  const inserted = await trx
    .insertInto('users')
    .values(user)
    .onConflict((oc) => oc.column('telegram_user_id').doNothing())
    .executeTakeFirst()
  if (inserted.numInsertedOrUpdatedRows !== 1n) return false
  if (wallets.length > 0) await trx.insertInto('wallets').values([...wallets]).execute()
  return true
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findUserByTelegramId(db: Executor, telegramUserId: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('telegram_user_id', '=', telegramUserId).executeTakeFirst()
}

export async function findUserByAddress(db: Executor, address: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll('users')
    .innerJoin('wallets', 'wallets.user_id', 'users.id')
    .where('wallets.address', '=', address)
    .executeTakeFirst()
}

export async function findWallets(db: Executor, userIds: readonly string[]): Promise<WalletRow[]> {
  if (userIds.length === 0) return []
  return db.selectFrom('wallets').selectAll().where('user_id', 'in', [...userIds]).execute()
}

/** Users in id order (time-ordered UUIDv7), strictly after `afterId`. */
export async function listUsers(db: Executor, options: { afterId?: string; limit: number }): Promise<UserRow[]> {
  let query = db.selectFrom('users').selectAll().orderBy('id').limit(options.limit)
  if (options.afterId !== undefined) query = query.where('id', '>', options.afterId)
  return query.execute()
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Replaces a user's stored secrets (a restore from backup shares): the mnemonic entropy and each
 * wallet key, matched by chain and the stored address so a restore never moves a wallet. Returns
 * the rows changed; the caller refuses unless it is 1 + the wallets it gave.
 */
export async function replaceUserSecrets(
  trx: Transaction<Database>,
  userId: string,
  secrets: { mnemonicCiphertext: string; wallets: readonly { chain: WalletRow['chain']; address: string; ciphertext: string }[] },
): Promise<number> {
  let changed = 0
  const user = await trx.updateTable('users').set({ mnemonic_ciphertext: secrets.mnemonicCiphertext }).where('id', '=', userId).executeTakeFirst()
  changed += Number(user.numUpdatedRows)
  for (const wallet of secrets.wallets) {
    const updated = await trx
      .updateTable('wallets')
      .set({ private_key_ciphertext: wallet.ciphertext })
      .where('user_id', '=', userId)
      .where('chain', '=', wallet.chain)
      .where('address', '=', wallet.address)
      .executeTakeFirst()
    changed += Number(updated.numUpdatedRows)
  }
  return changed
}

/** Moves the user's telegram binding from `from` to `to` (account recovery); returns whether it did. */
export async function moveTelegramBinding(trx: Transaction<Database>, userId: string, from: number, to: number, rowMac: string): Promise<boolean> {
  const result = await trx.updateTable('users').set({ telegram_user_id: to, row_mac: rowMac }).where('id', '=', userId).where('telegram_user_id', '=', from).executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
