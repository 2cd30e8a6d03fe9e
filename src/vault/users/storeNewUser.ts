/**
 * Writes a user from wallet material: encrypts the mnemonic entropy, the identity key and both
 * chain keys, inserts user + wallets, counts the encryptions and appends the audit entry — one
 * transaction, or nothing. Returns null when the telegram id already exists (another creator won).
 */
import type { Transaction } from 'kysely'
import { CoffreError } from '../../errors.ts'
import { newUuidV7 } from '../../ids.ts'
import { evmAddressFromPrivateKey } from '../../wallet/evmAddress.ts'
import { solanaAddressFromSecretKey } from '../../wallet/solanaAccount.ts'
import type { SecretSealer } from '../keyring/secretSealer.ts'
import type { AuditEntry } from '../../store/audit/entry.ts'
import type { Database } from '../../store/schema.ts'
import type { UserRow, WalletRow } from '../../store/users.ts'
import { insertUserWithWallets } from '../../store/users.ts'
import type { VaultContext } from '../context.ts'
import { identityKeyPlace, mnemonicPlace, walletKeyPlace } from '../places.ts'
import { writeWithSecrets } from '../writeTransaction.ts'
import type { User } from './user.ts'
import { toUser } from './user.ts'

export const POLYGON_PATH = "m/44'/60'/0'/0/0"
export const SOLANA_PATH = "m/44'/501'/0'/0'"

export type NewUserSecrets = {
  readonly entropy: Uint8Array | null
  readonly evm: { readonly privateKey: Uint8Array; readonly address: string }
  readonly solana: { readonly secretKey: Uint8Array; readonly address: string }
  readonly identity: { readonly privateKey: Uint8Array; readonly publicKey: Uint8Array }
}

/** What can be stored: a user from a legacy database may have a Polygon wallet and no Solana one. */
export type StoredUserSecrets = Omit<NewUserSecrets, 'solana'> & { readonly solana: NewUserSecrets['solana'] | null }

export type NewUserFields = {
  readonly telegramUserId: number
  readonly username: string | null
  readonly origin: 'generated' | 'imported' | 'legacy'
  readonly actor: string
  /** Extra audit facts (never secrets), e.g. the import format. */
  readonly auditDetails?: Readonly<Record<string, string | number | boolean>>
}

export function buildUserRows(sealer: SecretSealer, fields: NewUserFields, secrets: StoredUserSecrets, now: Date): { user: UserRow; wallets: WalletRow[] } {
  const id = newUuidV7()
  const at = now.toISOString()
  const hasPaths = secrets.entropy !== null
  const user: UserRow = {
    id,
    telegram_user_id: fields.telegramUserId,
    username: fields.username,
    origin: fields.origin,
    mnemonic_ciphertext: secrets.entropy === null ? null : sealer.seal(secrets.entropy, mnemonicPlace(id)),
    identity_public_key: Buffer.from(secrets.identity.publicKey).toString('hex'),
    identity_private_key_ciphertext: sealer.seal(secrets.identity.privateKey, identityKeyPlace(id)),
    created_at: at,
  }
  const wallets: WalletRow[] = [
    { user_id: id, chain: 'polygon', address: secrets.evm.address, private_key_ciphertext: sealer.seal(secrets.evm.privateKey, walletKeyPlace(id, 'polygon', secrets.evm.address)), derivation_path: hasPaths ? POLYGON_PATH : null, created_at: at },
  ]
  if (secrets.solana !== null) {
    const { secretKey, address } = secrets.solana
    wallets.push({ user_id: id, chain: 'solana', address, private_key_ciphertext: sealer.seal(secretKey, walletKeyPlace(id, 'solana', address)), derivation_path: hasPaths ? SOLANA_PATH : null, created_at: at })
  }
  return { user, wallets }
}

export type NewUserItem = { readonly fields: NewUserFields; readonly secrets: StoredUserSecrets }

/** Encryptions one user costs: mnemonic entropy (if any), identity key, the chain keys. */
export const encryptionsOf = (item: NewUserItem): number => 2 + (item.secrets.entropy === null ? 0 : 1) + (item.secrets.solana === null ? 0 : 1)

/**
 * Stores several users in one transaction (bulk provisioning amortises the commit); each result
 * is null when that telegram id already existed. A batch larger than the active data key's nonce
 * budget has room for is split: the users that fit are committed, and the rest go on in the next
 * transaction (the keyring rotates first).
 */
export async function storeNewUsers(ctx: VaultContext, items: readonly NewUserItem[]): Promise<(User | null)[]> {
  const results: (User | null)[] = []
  while (results.length < items.length) {
    const rest = items.slice(results.length)
    const stored = await writeWithSecrets(
      ctx,
      async (trx, sealer) => {
        const batch: (User | null)[] = []
        const audit: AuditEntry[] = []
        const now = new Date()
        for (const item of rest) {
          if (!sealer.take(encryptionsOf(item))) break
          const { fields, secrets } = item
          const { user, wallets } = buildUserRows(sealer, fields, secrets, now)
          await verifyStoredWallets(ctx, wallets, trx)
          if (!(await insertUserWithWallets(trx, user, wallets))) {
            batch.push(null)
            continue
          }
          batch.push(toUser(user, wallets))
          audit.push({
            action: fields.origin === 'generated' ? 'user.create' : 'user.import',
            actor: fields.actor,
            userId: user.id,
            subject: `telegram:${fields.telegramUserId}`,
            details: { polygonAddress: secrets.evm.address, solanaAddress: secrets.solana?.address ?? null, dataKeyId: sealer.dataKeyId, origin: fields.origin, ...fields.auditDetails },
          })
        }
        return { result: batch, audit }
      },
      { encryptions: encryptionsOf(rest[0]!) },
    )
    if (stored.length === 0) throw new CoffreError('COFFRE_INTERNAL', 'a user write stored nothing')
    results.push(...stored)
  }
  return results
}

export async function storeNewUser(ctx: VaultContext, fields: NewUserFields, secrets: StoredUserSecrets): Promise<User | null> {
  const [user] = await storeNewUsers(ctx, [{ fields, secrets }])
  return user ?? null
}

/**
 * Right after generation: each address is re-derived from the key decrypted back out of the
 * ciphertext about to be stored, and compared, so neither a derivation nor an encryption fault can
 * store an address its key does not control.
 */
async function verifyStoredWallets(ctx: VaultContext, wallets: readonly WalletRow[], trx: Transaction<Database>): Promise<void> {
  for (const wallet of wallets) {
    const key = await ctx.keyring.decrypt(wallet.private_key_ciphertext, walletKeyPlace(wallet.user_id, wallet.chain, wallet.address), trx)
    try {
      const address = wallet.chain === 'polygon' ? evmAddressFromPrivateKey(key) : solanaAddressFromSecretKey(key)
      if (address !== wallet.address) {
        throw new CoffreError('COFFRE_ADDRESS_MISMATCH', `the stored ${wallet.chain} key does not re-derive its address; nothing was written`, { details: { chain: wallet.chain } })
      }
    } finally {
      key.fill(0)
    }
  }
}
