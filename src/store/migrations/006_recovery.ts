/**
 * Recovery key: a second, local root key that also wraps every data key, so a vault whose root key
 * lives in an HSM or KMS can be rebuilt from Shamir shares. Its keyRef is kept in coffre_meta
 * ('recovery_key_ref'); the wraps in data_keys.recovery_wrapped_key. Same DDL on both engines.
 */
import type { Kysely, Migration } from 'kysely'

export const recoveryMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('data_keys').addColumn('recovery_wrapped_key', 'text').execute()
  },
}
