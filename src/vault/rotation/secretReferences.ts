/**
 * Which stored secrets name a data key. The stored form starts `cf1.<dataKeyId>.`, so a LIKE on
 * that prefix over every registered secret column finds them all; a key is retired only when this
 * count is zero.
 */
import type { Kysely, Transaction } from 'kysely'
import { SECRET_FORMAT_VERSION } from '../../crypto/secretField.ts'
import type { Database } from '../../store/schema.ts'
import { secretColumns, type SecretColumn } from '../../store/secretColumns.ts'
import { countSecretsMatching } from '../../store/secretRewrites.ts'

type Executor = Kysely<Database> | Transaction<Database>

/** A LIKE pattern matching ciphertexts under `dataKeyId` (`_` and `%` escaped with `\`). */
export function dataKeyPattern(dataKeyId: string): string {
  return `${SECRET_FORMAT_VERSION}.${dataKeyId.replace(/[\\%_]/g, '\\$&')}.%`
}

export async function countColumnReferences(db: Executor, column: SecretColumn, dataKeyId: string): Promise<number> {
  return countSecretsMatching(db, column, dataKeyPattern(dataKeyId))
}

/** Secrets referencing `dataKeyId`, over every registered column. */
export async function countReferences(db: Executor, dataKeyId: string): Promise<number> {
  let total = 0
  for (const column of secretColumns) total += await countColumnReferences(db, column, dataKeyId)
  return total
}
