/** The public view of a user: what the library, the CLI and the HTTP API return. No secrets. */
import type { UserRow, WalletRow } from '../../store/users.ts'

export type User = {
  readonly id: string
  readonly telegramUserId: number
  readonly username: string | null
  readonly polygonAddress: string
  readonly solanaAddress: string
  /** Compressed secp256k1 public key (66 hex) of the user's identity key (derived keys, pairs). */
  readonly identityPublicKey: string
  /** `generated`, `imported` or `legacy`. */
  readonly origin: string
  readonly hasMnemonic: boolean
  readonly createdAt: string
}

export function toUser(row: UserRow, wallets: readonly WalletRow[]): User {
  const address = (chain: 'polygon' | 'solana') => wallets.find((w) => w.user_id === row.id && w.chain === chain)?.address ?? ''
  return {
    id: row.id,
    telegramUserId: Number(row.telegram_user_id),
    username: row.username,
    polygonAddress: address('polygon'),
    solanaAddress: address('solana'),
    identityPublicKey: row.identity_public_key,
    origin: row.origin,
    hasMnemonic: row.mnemonic_ciphertext !== null,
    createdAt: row.created_at,
  }
}
