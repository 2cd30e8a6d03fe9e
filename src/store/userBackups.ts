/** Rows of `user_backups`: where each share of a user's entropy backup went. */
import type { Kysely, Transaction } from 'kysely'
import type { Database, UserBackupsTable } from './schema.ts'

type Executor = Kysely<Database> | Transaction<Database>
export type UserBackupRow = UserBackupsTable

export async function insertUserBackup(trx: Executor, row: UserBackupRow): Promise<void> {
  await trx.insertInto('user_backups').values(row).execute()
}

export async function findUserBackup(db: Executor, userId: string, backupId: string): Promise<UserBackupRow | undefined> {
  return db.selectFrom('user_backups').selectAll().where('id', '=', backupId).where('user_id', '=', userId).executeTakeFirst()
}

/** The user's newest backup (ids are time-ordered UUIDv7 too; created_at breaks no tie they leave). */
export async function latestUserBackup(db: Executor, userId: string): Promise<UserBackupRow | undefined> {
  return db.selectFrom('user_backups').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()
}

export async function listUserBackups(db: Executor, userId: string): Promise<UserBackupRow[]> {
  return db.selectFrom('user_backups').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute()
}
