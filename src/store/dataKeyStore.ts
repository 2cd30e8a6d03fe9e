/** The keyring's store (the `DataKeyStore` of vault/keyring/dataKeyStore.ts) over one Kysely database. */
import type { Kysely, Transaction } from 'kysely'
import { appendAuditEntries } from './audit/append.ts'
import type { AuditEntry } from './audit/entry.ts'
import * as dataKeys from './dataKeys.ts'
import { dialectOf } from './dialect.ts'
import { readRecoveryKeyRefs } from './recoveryKeys.ts'
import type { Database } from './schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

export function createDataKeyStore(db: Kysely<Database>) {
  const dialect = dialectOf(db)
  return {
    transaction: <T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> => db.transaction().execute(work),
    findActive: (via: Executor = db) => dataKeys.findActiveDataKey(via),
    find: (id: string, via: Executor = db) => dataKeys.findDataKey(via, id),
    list: (via: Executor = db) => dataKeys.listDataKeys(via),
    anySecretStored: () => dataKeys.anySecretStored(db),
    insert: dataKeys.insertDataKey,
    setState: dataKeys.setDataKeyState,
    addEncryptions: dataKeys.addEncryptions,
    recoveryKeyRefs: (via: Executor = db) => readRecoveryKeyRefs(via),
    appendAudit: async (trx: Transaction<Database>, entries: readonly AuditEntry[]): Promise<void> => {
      await appendAuditEntries(trx, dialect, entries)
    },
  }
}
