/**
 * PostgreSQL through node-postgres. int8 columns come back as JS numbers (all ours fit in 2^53).
 * A lost or terminated connection is a typed COFFRE_STORE_FAILED (storeErrors.ts), never a crash.
 */
import { PostgresDialect, type Driver } from 'kysely'
import pg from 'pg'
import { withStoreErrors } from './storeErrors.ts'

const INT8_OID = 20

function parseInt8(value: string): number {
  const parsed = Number(value)
  if (!Number.isSafeInteger(parsed)) throw new RangeError(`int8 value ${value} exceeds 2^53`)
  return parsed
}

export function createPostgresDialect(connectionString: string, options: { maxConnections?: number } = {}): PostgresDialect {
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  })
  // A client's error (the server restarting, pg_terminate_backend) must not crash the process:
  // the pool handles idle clients ('error' below); a checked-out client between two queries would
  // otherwise emit an unhandled 'error'. Its next query fails (typed), and the pool drops it on release.
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  return new TypedPostgresDialect({ pool })
}

class TypedPostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    return withStoreErrors(super.createDriver())
  }
}
