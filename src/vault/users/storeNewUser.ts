/**
 * Writes a user from wallet material: encrypts the mnemonic entropy, the identity key and both
 * chain keys, inserts user + wallets, counts the encryptions and appends the audit entry — one
 * transaction, or nothing. Returns null when the telegram id already exists (another creator won).
 */
import { timingSafeEqual } from 'node:crypto'
import { CoffreError } from '../../errors.ts'
import type { WalletMaterial } from '../../wallet/walletMaterial.ts'
import { newUuidV7 } from '../../ids.ts'
import type { SecretSealer } from '../keyring/secretSealer.ts'
import type { AuditEntry } from '../../store/audit/entry.ts'
import type { SecretPlace } from '../../crypto/secretField.ts'
import type { UserRow, WalletRow } from '../../store/users.ts'
import { insertUserWithWallets } from '../../store/users.ts'
import type { VaultContext } from '../context.ts'
import { identityKeyPlace, mnemonicPlace, walletKeyPlace } from '../places.ts'
import { writeSealed } from '../writeTransaction.ts'
import type { User } from './user.ts'
import { toUser } from './user.ts'

export type NewUserFields = {
  readonly telegramUserId: number
  readonly username: string | null
  readonly origin: 'generated' | 'imported' | 'legacy'
  readonly actor: string
  /** Extra audit facts (never secrets), e.g. the import format. */
  readonly auditDetails?: Readonly<Record<string, string | number | boolean>>
}

export function buildUserRows(sealer: SecretSealer, fields: NewUserFields, secrets: WalletMaterial, now: Date): { user: UserRow; wallets: WalletRow[] } {
  const id = newUuidV7()
  const at = now.toISOString()
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
    { user_id: id, chain: 'polygon', address: secrets.evm.address, private_key_ciphertext: sealer.seal(secrets.evm.privateKey, walletKeyPlace(id, 'polygon', secrets.evm.address)), derivation_path: secrets.evm.path, created_at: at },
  ]
  if (secrets.solana !== null) {
    const { secretKey, address, path } = secrets.solana
    wallets.push({ user_id: id, chain: 'solana', address, private_key_ciphertext: sealer.seal(secretKey, walletKeyPlace(id, 'solana', address)), derivation_path: path, created_at: at })
  }
  return { user, wallets }
}

export type NewUserItem = { readonly fields: NewUserFields; readonly secrets: WalletMaterial }

/** Encryptions one user costs: mnemonic entropy (if any), identity key, the chain keys. */
export const encryptionsOf = (item: NewUserItem): number => 2 + (item.secrets.entropy === null ? 0 : 1) + (item.secrets.solana === null ? 0 : 1)

/**
 * Stores several users in one transaction (bulk provisioning amortises the commit); each result
 * is null when that telegram id already existed. Every ciphertext is sealed and verified before the
 * transaction opens (verifySealedUser: decrypted back and compared with the material), so the
 * write lock is held only for the inserts. A batch larger than the active data key's nonce budget
 * has room for is split: the users that fit are committed, and the rest go on in the next
 * transaction (the keyring rotates first).
 */
export async function storeNewUsers(ctx: VaultContext, items: readonly NewUserItem[]): Promise<(User | null)[]> {
  const results: (User | null)[] = []
  while (results.length < items.length) {
    const rest = items.slice(results.length)
    const stored = await writeSealed(
      ctx,
      async (sealer) => {
        const sealed: { item: NewUserItem; rows: { user: UserRow; wallets: WalletRow[] } }[] = []
        const now = new Date()
        for (const item of rest) {
          if (!sealer.take(encryptionsOf(item))) break
          const rows = buildUserRows(sealer, item.fields, item.secrets, now)
          await verifySealedUser(ctx, rows, item.secrets)
          sealed.push({ item, rows })
        }
        return sealed
      },
      async (trx, sealed, sealer) => {
        const batch: (User | null)[] = []
        const audit: AuditEntry[] = []
        for (const { item, rows } of sealed) {
          const { fields, secrets } = item
          const user = { ...rows.user, row_mac: ctx.integrity.macOf('users', rows.user) }
          const wallets = rows.wallets.map((wallet) => ({ ...wallet, row_mac: ctx.integrity.macOf('wallets', wallet) }))
          if (!(await insertUserWithWallets(trx, user, wallets))) {
            batch.push(null)
            continue
          }
          batch.push(toUser(rows.user, rows.wallets))
          audit.push({
            action: fields.origin === 'generated' ? 'user.create' : 'user.import',
            actor: fields.actor,
            userId: rows.user.id,
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

export async function storeNewUser(ctx: VaultContext, fields: NewUserFields, secrets: WalletMaterial): Promise<User | null> {
  const [user] = await storeNewUsers(ctx, [{ fields, secrets }])
  return user ?? null
}

/**
 * Before anything is written: every ciphertext of the user — mnemonic entropy, identity key and
 * each chain key — is decrypted back out of the value about to be stored and compared with the
 * material it was sealed from (whose addresses were derived once, from those very buffers), so
 * neither an encryption fault nor a mix-up of buffers can store a secret that is not the user's.
 */
async function verifySealedUser(ctx: VaultContext, rows: { user: UserRow; wallets: readonly WalletRow[] }, secrets: WalletMaterial): Promise<void> {
  const { user } = rows
  const expected: [string, string | null, SecretPlace, Uint8Array | null][] = [
    ['mnemonic', user.mnemonic_ciphertext, mnemonicPlace(user.id), secrets.entropy],
    ['identity', user.identity_private_key_ciphertext, identityKeyPlace(user.id), secrets.identity.privateKey],
  ]
  for (const wallet of rows.wallets) {
    const material = wallet.chain === 'polygon' ? secrets.evm : secrets.solana
    const key = wallet.chain === 'polygon' ? secrets.evm.privateKey : (secrets.solana?.secretKey ?? null)
    if (material === null || material.address !== wallet.address) throw sealMismatch(wallet.chain)
    expected.push([wallet.chain, wallet.private_key_ciphertext, walletKeyPlace(user.id, wallet.chain, wallet.address), key])
  }
  for (const [what, ciphertext, place, plaintext] of expected) {
    if (ciphertext === null || plaintext === null) {
      if (ciphertext !== plaintext) throw sealMismatch(what)
      continue
    }
    const opened = await ctx.keyring.decrypt(ciphertext, place)
    try {
      if (opened.length !== plaintext.length || !timingSafeEqual(opened, plaintext)) throw sealMismatch(what)
    } finally {
      opened.fill(0)
    }
  }
}

function sealMismatch(what: string): CoffreError {
  return new CoffreError('COFFRE_ADDRESS_MISMATCH', `the sealed ${what} secret does not decrypt to the material it was made from; nothing was written`, { details: { field: what } })
}
