/** What the rotation jobs need: the store, the keyring, and who acts (for the audit trail). */
import type { Kysely } from 'kysely'
import type { Keyring } from '../keyring/keyring.ts'
import type { StoreDialect } from '../../store/dialect.ts'
import type { Database } from '../../store/schema.ts'

export type RotationDeps = {
  readonly db: Kysely<Database>
  readonly dialect: StoreDialect
  readonly keyring: Keyring
  readonly actor: string
  readonly now?: () => Date
}

export const nowOf = (deps: { readonly now?: () => Date }): Date => (deps.now ?? (() => new Date()))()
