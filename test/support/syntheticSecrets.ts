/**
 * Fast synthetic vault rows for rotation tests and the rotation benchmark: users and wallets whose
 * secret columns are real keyring ciphertexts (random bytes sealed at their true places), inserted
 * with multi-row INSERTs — no PBKDF2, no curve math. Addresses are random, so `doctor` would
 * report them as not deriving; use real users where that matters. 4 secrets per user.
 */
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Keyring } from '../../src/vault/keyring/keyring.ts'
import { newUuidV7 } from '../../src/ids.ts'
import type { Database, UsersTable, WalletsTable } from '../../src/store/schema.ts'
import { identityKeyPlace, mnemonicPlace, walletKeyPlace } from '../../src/vault/places.ts'

export const SECRETS_PER_SYNTHETIC_USER = 4

export async function insertSyntheticUsers(db: Kysely<Database>, keyring: Keyring, count: number, options: { firstTelegramId?: number; batch?: number } = {}): Promise<void> {
  const batch = options.batch ?? 1_000
  const first = options.firstTelegramId ?? 1_000_000_000
  const at = new Date().toISOString()
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start)
    const sealer = keyring.sealer()
    const secret = new Uint8Array(32)
    const users: UsersTable[] = []
    const wallets: WalletsTable[] = []
    for (let i = 0; i < n; i++) {
      const id = newUuidV7()
      const seal = (place: Parameters<typeof sealer.seal>[1]) => {
        secret.set(randomBytes(32))
        return sealer.seal(secret, place)
      }
      const polygon = `0x${randomBytes(20).toString('hex')}`
      const solana = `syn${randomBytes(16).toString('hex')}`
      users.push({ id, telegram_user_id: first + start + i, username: null, origin: 'generated', mnemonic_ciphertext: seal(mnemonicPlace(id)), identity_public_key: '02'.padEnd(66, '0'), identity_private_key_ciphertext: seal(identityKeyPlace(id)), created_at: at })
      wallets.push(
        { user_id: id, chain: 'polygon' as const, address: polygon, private_key_ciphertext: seal(walletKeyPlace(id, 'polygon', polygon)), derivation_path: null, created_at: at },
        { user_id: id, chain: 'solana' as const, address: solana, private_key_ciphertext: seal(walletKeyPlace(id, 'solana', solana)), derivation_path: null, created_at: at },
      )
    }
    try {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(users).execute()
        await trx.insertInto('wallets').values(wallets).execute()
        await sealer.commit(trx)
      })
    } finally {
      sealer.settle(true)
    }
  }
}
