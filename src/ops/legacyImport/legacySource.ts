/**
 * Reads a legacy database laid out like the seed's `users` table, strictly read-only: the session
 * is set to `default_transaction_read_only = on` before anything is read, so even a bug here could
 * not write to the source. Pages by telegram_user_id.
 */
import pg from 'pg'
import { CoffreError, redactUrl } from '../../errors.ts'

export type LegacyUserRow = {
  readonly telegram_user_id: string
  readonly username: string | null
  readonly polygon_address: string | null
  readonly polygon_private_key: string | null
  readonly solana_address: string | null
  readonly solana_private_key: string | null
  readonly api_key: string | null
  readonly api_secret: string | null
  readonly api_passphrase: string | null
  readonly funded: boolean | null
  readonly auto_approval_completed: boolean | null
}

export type LegacySource = {
  /** The source without credentials, for reports and the quarantine table. */
  readonly name: string
  count(): Promise<number>
  page(afterTelegramId: string | null, limit: number): Promise<LegacyUserRow[]>
  close(): Promise<void>
}

export async function openLegacySource(url: string): Promise<LegacySource> {
  const name = redactUrl(url).replace(/\?.*$/, '')
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('SET default_transaction_read_only = on')
  } catch (cause) {
    await client.end().catch(() => undefined)
    throw new CoffreError('COFFRE_STORE_FAILED', `cannot open the legacy database ${name}`, { cause })
  }
  const query = async <T extends pg.QueryResultRow>(text: string, values: unknown[]) => {
    try {
      return (await client.query<T>(text, values)).rows
    } catch (cause) {
      throw new CoffreError('COFFRE_STORE_FAILED', `reading the legacy users table failed: ${(cause as Error).message.slice(0, 200)}`, { cause })
    }
  }
  return {
    name,
    async count() {
      const rows = await query<{ n: string }>('select count(*) as n from users', [])
      return Number(rows[0]?.n ?? 0)
    },
    page: (after, limit) =>
      query<LegacyUserRow>(
        `select telegram_user_id::text as telegram_user_id, username, polygon_address, polygon_private_key, solana_address, solana_private_key,
                api_key, api_secret, api_passphrase, funded, auto_approval_completed
           from users where telegram_user_id is not null and ($1::bigint is null or telegram_user_id > $1::bigint)
          order by users.telegram_user_id limit $2`,
        [after, limit],
      ),
    close: () => client.end(),
  }
}
