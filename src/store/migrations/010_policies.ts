/**
 * Signing policies (issue 12): immutable policy versions, the velocity counters the vault charges
 * in the audit transaction of a signature, and what a token carries: an expiry, a policy name and
 * a namespace. Tokens made before this migration keep a NULL policy (they run under `allow-all`
 * and `doctor` warns about each) and a NULL expiry (they do not expire).
 */
import { sql, type Kysely, type Migration } from 'kysely'
import { VELOCITY_COLUMN_COUNT } from '../velocityColumns.ts'

export const policiesMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('policies')
      .addColumn('name', 'text', (c) => c.notNull())
      /** 1, 2, 3…: a change is a new row; rows are never updated. */
      .addColumn('version', 'integer', (c) => c.notNull())
      /** The normalised policy document (canonical JSON), its `version` field equal to the row's. */
      .addColumn('document', 'text', (c) => c.notNull())
      /** The template instance it came from (JSON), or NULL for a plain document. */
      .addColumn('source', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('policies_pk', ['name', 'version'])
      .execute()

    let velocity = db.schema.createTable('policy_velocity').addColumn('key', 'text', (c) => c.primaryKey())
    for (let i = 0; i < VELOCITY_COLUMN_COUNT; i++) velocity = velocity.addColumn(`s${i}`, 'bigint', (c) => c.notNull().defaultTo(0))
    for (let i = 0; i < VELOCITY_COLUMN_COUNT; i++) velocity = velocity.addColumn(`b${i}`, 'bigint', (c) => c.notNull().defaultTo(sql`-1`))
    await velocity.execute()

    await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute()
    await db.schema.alterTable('api_tokens').addColumn('policy', 'text').execute()
    await db.schema.alterTable('api_tokens').addColumn('namespace', 'text').execute()
  },
}
