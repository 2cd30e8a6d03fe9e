/**
 * The service's tables: API tokens (stored only as SHA-256 hashes) and Idempotency-Key replies,
 * kept in the database so every instance on one PostgreSQL sees the same keys.
 */
import type { Kysely, Migration } from 'kysely'

export const httpMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      /** hex SHA-256 of the whole token text; the token itself is never stored. */
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      /** JSON array of scope names. */
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute()

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('token_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      /** hex SHA-256 of method, route and canonical JSON body. */
      .addColumn('request_hash', 'text', (c) => c.notNull())
      /** `pending` while the first request runs, then `done`. */
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('response_body', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('locked_until', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['token_id', 'key'])
      .execute()
    await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute()
  },
}
