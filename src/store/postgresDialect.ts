/** PostgreSQL through node-postgres. int8 columns come back as JS numbers (all ours fit in 2^53). */
import { PostgresDialect } from 'kysely'
import pg from 'pg'

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
  // An idle client's error (e.g. the server restarting) must not crash the process.
  pool.on('error', () => {})
  return new PostgresDialect({ pool })
}
