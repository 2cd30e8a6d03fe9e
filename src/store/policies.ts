/**
 * `policies`: immutable versions of named signing policies. A change inserts the next version;
 * no statement here updates or deletes a row. Writers run inside the caller's transaction.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Database, PoliciesTable } from './schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

export type PolicyRow = PoliciesTable

export async function latestPolicyVersion(db: Executor, name: string): Promise<PolicyRow | undefined> {
  return db.selectFrom('policies').selectAll().where('name', '=', name).orderBy('version', 'desc').limit(1).executeTakeFirst()
}

export async function findPolicyVersion(db: Executor, name: string, version: number): Promise<PolicyRow | undefined> {
  return db.selectFrom('policies').selectAll().where('name', '=', name).where('version', '=', version).executeTakeFirst()
}

/** Every version of one policy, oldest first. */
export async function listPolicyVersions(db: Executor, name: string): Promise<PolicyRow[]> {
  return db.selectFrom('policies').selectAll().where('name', '=', name).orderBy('version').execute()
}

/** The latest version of every policy, by name. */
export async function listLatestPolicies(db: Executor): Promise<PolicyRow[]> {
  return db
    .selectFrom('policies as p')
    .selectAll('p')
    .where(({ eb, selectFrom }) => eb('p.version', '=', selectFrom('policies as q').select((q) => q.fn.max('q.version').as('v')).whereRef('q.name', '=', 'p.name')))
    .orderBy('p.name')
    .execute()
}

/** Inserts a version; a concurrent insert of the same (name, version) fails on the primary key. */
export async function insertPolicyVersion(db: Executor, row: PolicyRow): Promise<void> {
  await db.insertInto('policies').values(row).execute()
}
