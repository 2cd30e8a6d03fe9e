/**
 * Pairs (seed 004) and the identity's derived public keys. Pairs hold public keys only.
 * - `pairs`: one row per pair; `user_id` set marks the local pair of that user's identity key
 *   (at most one per user), whose keys are main + derived(0 … derived_count − 1).
 * - `pair_public_keys`: a pair's extra keys, unique per pair, `position` keeps the order added.
 * - `derived_public_keys`: derived(idx) of a user's identity, written once when first derived, so a
 *   membership check or a listing is one indexed query instead of a decryption and N derivations.
 *   Rows for a user always form the contiguous range 0 … max(idx).
 */
import type { Kysely, Migration } from 'kysely'

export const pairsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('pairs')
      .addColumn('uuid', 'text', (c) => c.primaryKey())
      .addColumn('label', 'text')
      .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('public_key', 'text')
      .addColumn('derived_count', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute()
    // NULLs are distinct on both engines: any number of remote pairs, one local pair per user.
    await db.schema.createIndex('pairs_one_local_per_user').on('pairs').column('user_id').unique().execute()

    await db.schema
      .createTable('pair_public_keys')
      .addColumn('pair_uuid', 'text', (c) => c.notNull().references('pairs.uuid').onDelete('cascade'))
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pair_public_keys_pk', ['pair_uuid', 'public_key'])
      .execute()

    await db.schema
      .createTable('derived_public_keys')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('idx', 'bigint', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('derived_public_keys_pk', ['user_id', 'idx'])
      .execute()
    await db.schema.createIndex('derived_public_keys_key').on('derived_public_keys').columns(['public_key', 'user_id']).execute()
  },
}
