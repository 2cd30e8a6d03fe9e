/**
 * A legacy database of the seed's Python bot for the migration guide's test: a PostgreSQL database
 * (the run's shared server, or a private one) with the seed's `users` table, rows written the way
 * the bot wrote them (AES-256-GCM base64(nonce‖ciphertext‖tag) under ENCRYPTION_KEY, an older
 * plaintext row, the API secret encrypted next to a plaintext key and passphrase), and one row
 * encrypted under another key (quarantined on import). Prints `{ url, keyFile, users }` on one
 * line and drops everything when its stdin closes.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getAddress } from 'viem'
import { sealLegacyValue } from '../../../src/ops/legacyImport/legacyCipher.ts'
import { evmAddressFromPrivateKey } from '../../../src/wallet/evmAddress.ts'
import { generateIdentityKey } from '../../../src/wallet/identityKey.ts'
import { solanaAddressFromSecretKey } from '../../../src/wallet/solanaAccount.ts'
import { encodeSolanaSecretKey } from '../../../src/wallet/solanaKeyText.ts'
import { createSeedUsersTable } from '../../ops/legacyImport/legacyFixtures.ts'
import { createTestDatabase } from '../../support/postgres.ts'
import { untilStdinCloses } from './untilStdinCloses.ts'

const database = await createTestDatabase()
const dir = mkdtempSync(join(tmpdir(), 'coffre-legacy-'))
const legacyKey = new Uint8Array(randomBytes(32))
const otherKey = new Uint8Array(randomBytes(32))
const keyFile = join(dir, 'legacy.key')
writeFileSync(keyFile, Buffer.from(legacyKey).toString('base64'), { mode: 0o600 })

const client = await createSeedUsersTable(database.url)
const users: { telegramUserId: number; username: string; polygonAddress: string; solanaAddress: string; expect: 'import' | 'quarantine' }[] = []
async function insert(telegramUserId: number, how: 'encrypted' | 'plaintext' | 'wrong-key', credentials: boolean) {
  const evmKey = generateIdentityKey().privateKey
  const seed = new Uint8Array(randomBytes(32))
  const polygonAddress = getAddress(evmAddressFromPrivateKey(evmKey))
  const solanaAddress = solanaAddressFromSecretKey(seed)
  const polygonKey = `0x${Buffer.from(evmKey).toString('hex')}`
  const solanaKey = encodeSolanaSecretKey(seed)
  const seal = (text: string) => (how === 'plaintext' ? text : sealLegacyValue(how === 'wrong-key' ? otherKey : legacyKey, text))
  const username = `trader${telegramUserId}`
  await client.query(
    `insert into users (telegram_user_id, username, polygon_address, polygon_private_key, solana_address, solana_private_key, api_key, api_secret, api_passphrase)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [telegramUserId, username, polygonAddress, seal(polygonKey), solanaAddress, seal(solanaKey),
      credentials ? '2f1e2ab4-8f0c-4c5e-9a51-3d7c0b9e6a10' : null, credentials ? sealLegacyValue(legacyKey, randomBytes(32).toString('base64url')) : null, credentials ? randomBytes(32).toString('hex') : null],
  )
  users.push({ telegramUserId, username, polygonAddress, solanaAddress, expect: how === 'wrong-key' ? 'quarantine' : 'import' })
}
await insert(1001, 'encrypted', true)
await insert(1002, 'encrypted', false)
await insert(1003, 'plaintext', false)
await insert(1004, 'wrong-key', false)
await client.end()
legacyKey.fill(0)

process.stdout.write(`${JSON.stringify({ url: database.url, keyFile, users })}\n`)
untilStdinCloses(async () => {
  await database.drop().catch(() => undefined)
  rmSync(dir, { recursive: true, force: true })
})
