/**
 * A legacy database written the way the seed system's own code wrote it (skudskud/polycool-copy,
 * read for reference): its model setter encrypts every private key and the API secret with
 * AES-256-GCM, base64(nonce ‖ ciphertext ‖ tag), UTF-8 plaintext, no associated data; the API key
 * and passphrase stay plaintext; addresses are EIP-55 checksummed as eth_account returns them. The
 * formats its code paths left behind:
 * - `account.key.hex()` with 0x (older hexbytes) — and '0x' + that, `0x0x…`, from a repair script;
 * - Solana base58 of the 64-byte keypair (`bytes(keypair)`), or hex of the 32-byte seed
 *   (`keypair.secret().hex()`, its Solana wallet manager);
 * - a Polygon wallet with no Solana wallet (both columns NULL);
 * - under a key that is base64 of 32 bytes, or (later versions) a 32-character string used as its
 *   UTF-8 bytes — the caller chooses the key bytes.
 * Negative cases: a 0x0x key or a hex seed that do not derive the stored address, a Solana address
 * without its key.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { getAddress } from 'viem'
import { sealLegacyValue } from '../../../src/ops/legacyImport/legacyCipher.ts'
import { evmAddressFromPrivateKey } from '../../../src/wallet/evmAddress.ts'
import { solanaAddressFromSecretKey } from '../../../src/wallet/solanaAccount.ts'
import { encodeSolanaSecretKey } from '../../../src/wallet/solanaKeyText.ts'
import { generateIdentityKey } from '../../../src/wallet/identityKey.ts'
import { createSeedUsersTable } from './legacyFixtures.ts'

export type SeedCase = {
  readonly telegramUserId: number
  readonly label: string
  readonly expect: 'import' | 'quarantine'
  readonly quarantinedField?: string
  readonly format?: string
  readonly polygonAddress: string
  readonly solanaAddress: string | null
  readonly credentials?: { readonly apiKey: string; readonly secret: string; readonly passphrase: string }
}

const evm = () => {
  const key = generateIdentityKey().privateKey
  return { hex: `0x${Buffer.from(key).toString('hex')}`, address: getAddress(evmAddressFromPrivateKey(key)) }
}
const sol = () => {
  const seed = new Uint8Array(randomBytes(32))
  return { address: solanaAddressFromSecretKey(seed), keypair58: encodeSolanaSecretKey(seed), seedHex: Buffer.from(seed).toString('hex') }
}

export async function createSeedSystemDatabase(url: string, legacyKey: Uint8Array): Promise<SeedCase[]> {
  const enc = (text: string) => sealLegacyValue(legacyKey, text)
  const client = await createSeedUsersTable(url)
  const cases: SeedCase[] = []
  const add = async (c: SeedCase, polygonKey: string | null, solanaKey: string | null) => {
    cases.push(c)
    await client.query(
      `insert into users (telegram_user_id, username, polygon_address, polygon_private_key, solana_address, solana_private_key, api_key, api_secret, api_passphrase)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [c.telegramUserId, `seed${c.telegramUserId}`, c.polygonAddress, polygonKey, c.solanaAddress, solanaKey, c.credentials?.apiKey ?? null, c.credentials ? enc(c.credentials.secret) : null, c.credentials?.passphrase ?? null],
    )
  }
  const creds = () => ({ apiKey: randomUUID(), secret: randomBytes(32).toString('base64url'), passphrase: randomBytes(32).toString('hex') })

  let e = evm(), s = sol()
  await add({ telegramUserId: 10, label: 'created by UserService, with API credentials', expect: 'import', format: 'polygon:legacy-encrypted:hex-0x', polygonAddress: e.address, solanaAddress: s.address, credentials: creds() }, enc(e.hex), enc(s.keypair58))
  ;(e = evm()), (s = sol())
  await add({ telegramUserId: 11, label: 'Polygon key repaired to 0x0x (encrypted through the setter)', expect: 'import', format: 'polygon:legacy-encrypted:hex-0x0x', polygonAddress: e.address, solanaAddress: s.address }, enc(`0x${e.hex}`), enc(s.keypair58))
  ;(e = evm()), (s = sol())
  await add({ telegramUserId: 12, label: 'Polygon key 0x0x left in plaintext', expect: 'import', format: 'polygon:plaintext:hex-0x0x', polygonAddress: e.address, solanaAddress: s.address }, `0x${e.hex}`, enc(s.keypair58))
  ;(e = evm()), (s = sol())
  await add({ telegramUserId: 13, label: 'Solana key as hex of the 32-byte seed', expect: 'import', format: 'solana:legacy-encrypted:hex-seed', polygonAddress: e.address, solanaAddress: s.address, credentials: creds() }, enc(e.hex), enc(s.seedHex))
  ;(e = evm()), (s = sol())
  await add({ telegramUserId: 14, label: 'Solana hex seed in plaintext', expect: 'import', format: 'solana:plaintext:hex-seed', polygonAddress: e.address, solanaAddress: s.address }, enc(e.hex), s.seedHex)
  e = evm()
  await add({ telegramUserId: 15, label: 'a Polygon wallet and no Solana wallet', expect: 'import', format: 'solana:absent', polygonAddress: e.address, solanaAddress: null }, enc(e.hex), null)
  ;(e = evm()), (s = sol())
  await add({ telegramUserId: 16, label: 'a 0x0x key of another wallet', expect: 'quarantine', quarantinedField: 'polygon_private_key', polygonAddress: e.address, solanaAddress: s.address }, enc(`0x${evm().hex}`), enc(s.keypair58))
  ;(e = evm()), (s = sol())
  await add({ telegramUserId: 17, label: 'a hex seed of another wallet', expect: 'quarantine', quarantinedField: 'solana_private_key', polygonAddress: e.address, solanaAddress: s.address }, enc(e.hex), enc(sol().seedHex))
  ;(e = evm()), (s = sol())
  await add({ telegramUserId: 18, label: 'a Solana address without its key', expect: 'quarantine', quarantinedField: 'solana_private_key', polygonAddress: e.address, solanaAddress: s.address }, enc(e.hex), null)
  await client.end()
  return cases
}
