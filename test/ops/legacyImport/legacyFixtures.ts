/** A legacy PostgreSQL database laid out like the seed's `users` table, with every classification case. */
import { randomBytes } from 'node:crypto'
import { base58 } from '@scure/base'
import pg from 'pg'
import { sealLegacyValue } from '../../../src/ops/legacyImport/legacyCipher.ts'
import { evmAddressFromPrivateKey } from '../../../src/wallet/evmAddress.ts'
import { solanaAddressFromSecretKey } from '../../../src/wallet/solanaAccount.ts'
import { encodeSolanaSecretKey, encodeSolanaSecretKeyJson } from '../../../src/wallet/solanaKeyText.ts'
import { generateIdentityKey } from '../../../src/wallet/identityKey.ts'

export type LegacyCase = { telegramUserId: number; expect: 'import' | 'quarantine'; quarantinedField?: string; credentials?: 'ok' | 'quarantine' | 'none' }

const evm = () => {
  const key = generateIdentityKey().privateKey
  return { hex: Buffer.from(key).toString('hex'), address: evmAddressFromPrivateKey(key).toLowerCase() }
}
const sol = () => {
  const seed = new Uint8Array(randomBytes(32))
  return { seed, address: solanaAddressFromSecretKey(seed), keypair58: encodeSolanaSecretKey(seed), json: encodeSolanaSecretKeyJson(seed), seed58: base58.encode(seed) }
}
const creds = () => ({ api_key: '2f1e2ab4-8f0c-4c5e-9a51-3d7c0b9e6a10', api_secret: randomBytes(32).toString('base64url'), api_passphrase: randomBytes(32).toString('hex') })

/** Connects to `url` and creates the seed's `users` table (its DDL, as the seed text gives it). */
export async function createSeedUsersTable(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query(`create table users (id serial primary key, telegram_user_id bigint unique, username text, polygon_address text unique, polygon_private_key text,
    solana_address text unique, solana_private_key text, api_key text, api_secret text, api_passphrase text, funded boolean default false,
    auto_approval_completed boolean default false, created_at timestamptz default now(), updated_at timestamptz default now())`)
  return client
}

export async function createLegacyDatabase(url: string, legacyKey: Uint8Array, bulk: number): Promise<LegacyCase[]> {
  const otherKey = new Uint8Array(randomBytes(32))
  const enc = (text: string) => sealLegacyValue(legacyKey, text)
  const client = await createSeedUsersTable(url)
  const cases: LegacyCase[] = []
  const insert = async (c: LegacyCase, row: Record<string, string | null>) => {
    cases.push(c)
    await client.query(
      `insert into users (telegram_user_id, username, polygon_address, polygon_private_key, solana_address, solana_private_key, api_key, api_secret, api_passphrase)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [c.telegramUserId, `u${c.telegramUserId}`, row.polygon_address, row.polygon_private_key, row.solana_address, row.solana_private_key, row.api_key ?? null, row.api_secret ?? null, row.api_passphrase ?? null],
    )
  }
  let e = evm(), s = sol()
  await insert({ telegramUserId: 1, expect: 'import', credentials: 'ok' }, { polygon_address: e.address, polygon_private_key: `0x${e.hex}`, solana_address: s.address, solana_private_key: s.keypair58, ...creds() })
  ;(e = evm()), (s = sol())
  await insert({ telegramUserId: 2, expect: 'import', credentials: 'none' }, { polygon_address: e.address, polygon_private_key: e.hex, solana_address: s.address, solana_private_key: s.seed58 })
  ;(e = evm()), (s = sol())
  const c3 = creds()
  await insert({ telegramUserId: 3, expect: 'import', credentials: 'ok' }, { polygon_address: e.address, polygon_private_key: enc(`0x${e.hex}`), solana_address: s.address, solana_private_key: enc(s.keypair58), ...c3, api_secret: enc(c3.api_secret) })
  ;(e = evm()), (s = sol())
  await insert({ telegramUserId: 4, expect: 'import' }, { polygon_address: e.address, polygon_private_key: enc(e.hex), solana_address: s.address, solana_private_key: s.json })
  ;(e = evm()), (s = sol())
  await insert({ telegramUserId: 5, expect: 'quarantine', quarantinedField: 'polygon_private_key' }, { polygon_address: e.address, polygon_private_key: sealLegacyValue(otherKey, `0x${e.hex}`), solana_address: s.address, solana_private_key: s.keypair58 })
  ;(e = evm()), (s = sol())
  await insert({ telegramUserId: 6, expect: 'quarantine', quarantinedField: 'solana_private_key' }, { polygon_address: e.address, polygon_private_key: e.hex, solana_address: s.address, solana_private_key: 'not-a-key!!' })
  ;(e = evm()), (s = sol())
  await insert({ telegramUserId: 7, expect: 'quarantine', quarantinedField: 'polygon_private_key' }, { polygon_address: e.address, polygon_private_key: evm().hex, solana_address: s.address, solana_private_key: s.keypair58 })
  ;(e = evm()), (s = sol())
  await insert({ telegramUserId: 8, expect: 'import', credentials: 'quarantine' }, { polygon_address: e.address, polygon_private_key: e.hex, solana_address: s.address, solana_private_key: s.keypair58, api_key: 'garbage', api_secret: 'x', api_passphrase: 'y' })
  for (let i = 0; i < bulk; i++) {
    ;(e = evm()), (s = sol())
    await insert({ telegramUserId: 100 + i, expect: 'import' }, { polygon_address: e.address, polygon_private_key: i % 2 ? enc(e.hex) : `0x${e.hex}`, solana_address: s.address, solana_private_key: i % 3 ? enc(s.keypair58) : s.keypair58 })
  }
  await client.end()
  return cases
}

/** A digest of the whole source table, to prove the import never modified it. */
export async function sourceDigest(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const { rows } = await client.query('select md5(string_agg(u::text, \'|\' order by id)) as d from users u')
  await client.end()
  return rows[0].d
}
