/**
 * Every encrypted column in the schema, with how its owning row's stable identity is formed for
 * the associated data. Services build places from here, and the data-key rotation job walks this
 * list to re-encrypt every secret, so a new secret column is registered here once.
 */

export type SecretColumn = {
  readonly table: string
  readonly column: string
  /** Primary-key columns (to update the row). */
  readonly keyColumns: readonly string[]
  /** Columns the row identity is built from. */
  readonly identityColumns: readonly string[]
  readonly rowIdentity: (row: Readonly<Record<string, unknown>>) => string
}

const userRow = (row: Readonly<Record<string, unknown>>) => `user:${String(row.id)}`
const clobCredentialsRow = (row: Readonly<Record<string, unknown>>) => `credential:${String(row.id)}|user:${String(row.user_id)}|api_key:${String(row.api_key)}`
const userBackupRow = (row: Readonly<Record<string, unknown>>) => `backup:${String(row.id)}|user:${String(row.user_id)}`
const legacyCredentialsRow = (row: Readonly<Record<string, unknown>>) => `user:${String(row.user_id)}|api_key:${String(row.api_key)}`

export const secretColumns: SecretColumn[] = [
  { table: 'users', column: 'mnemonic_ciphertext', keyColumns: ['id'], identityColumns: ['id'], rowIdentity: userRow },
  { table: 'users', column: 'identity_private_key_ciphertext', keyColumns: ['id'], identityColumns: ['id'], rowIdentity: userRow },
  {
    table: 'wallets',
    column: 'private_key_ciphertext',
    keyColumns: ['user_id', 'chain'],
    identityColumns: ['user_id', 'chain', 'address'],
    rowIdentity: (row) => `user:${String(row.user_id)}|chain:${String(row.chain)}|address:${String(row.address)}`,
  },
  { table: 'legacy_api_credentials', column: 'secret_ciphertext', keyColumns: ['user_id'], identityColumns: ['user_id', 'api_key'], rowIdentity: legacyCredentialsRow },
  { table: 'legacy_api_credentials', column: 'passphrase_ciphertext', keyColumns: ['user_id'], identityColumns: ['user_id', 'api_key'], rowIdentity: legacyCredentialsRow },
  { table: 'clob_credentials', column: 'secret_ciphertext', keyColumns: ['id'], identityColumns: ['id', 'user_id', 'api_key'], rowIdentity: clobCredentialsRow },
  { table: 'clob_credentials', column: 'passphrase_ciphertext', keyColumns: ['id'], identityColumns: ['id', 'user_id', 'api_key'], rowIdentity: clobCredentialsRow },
  { table: 'user_backups', column: 'vault_share_ciphertext', keyColumns: ['id'], identityColumns: ['id', 'user_id'], rowIdentity: userBackupRow },
]

/** Where a secret sits (table, column, row identity): the associated data it is sealed under (crypto/secretField.ts SecretPlace). */
export type ColumnPlace = { readonly table: string; readonly column: string; readonly row: string }

/** The place of a registered secret column for a given row. */
export function secretPlace(table: string, column: string, row: Readonly<Record<string, unknown>>): ColumnPlace {
  const entry = secretColumns.find((c) => c.table === table && c.column === column)
  if (entry === undefined) throw new Error(`${table}.${column} is not a registered secret column`)
  return { table, column, row: entry.rowIdentity(row) }
}
