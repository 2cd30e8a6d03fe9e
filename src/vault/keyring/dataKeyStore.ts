/**
 * What the keyring needs from the store, and nothing more: data-key rows, their encryption
 * counters, the recovery keyRefs, one write transaction and the audit append inside it. Reads take
 * an optional handle (an open transaction's, when the read belongs to it). src/store/dataKeyStore.ts
 * implements it over Kysely; `openVault` wires the two together.
 */
import type { Kysely, Transaction } from 'kysely'
import type { AuditEntry } from '../../store/audit/entry.ts'
import type { DataKeyRow } from '../../store/dataKeys.ts'
import type { RecoveryKeyRefs } from '../../store/recoveryKeys.ts'
import type { DataKeyState, Database } from '../../store/schema.ts'

/** A database handle: the store's, or an open transaction's (reads inside a transaction must use it). */
export type Executor = Kysely<Database> | Transaction<Database>

export interface DataKeyStore {
  /** Runs `work` in one write transaction (committed when it resolves, rolled back when it throws). */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>
  findActive(via?: Executor): Promise<DataKeyRow | undefined>
  find(id: string, via?: Executor): Promise<DataKeyRow | undefined>
  list(via?: Executor): Promise<DataKeyRow[]>
  /** Whether any secret is stored under any key (a vault holding secrets is never "new"). */
  anySecretStored(): Promise<boolean>
  insert(trx: Transaction<Database>, row: Omit<DataKeyRow, 'encryption_count'>): Promise<void>
  setState(trx: Transaction<Database>, id: string, state: DataKeyState, at: string, rowMac?: string): Promise<void>
  /** Adds committed encryptions while the key is still active and within `budget`; false otherwise. */
  addEncryptions(trx: Executor, id: string, count: number, budget: number): Promise<boolean>
  recoveryKeyRefs(via?: Executor): Promise<RecoveryKeyRefs>
  appendAudit(trx: Transaction<Database>, entries: readonly AuditEntry[]): Promise<void>
}
