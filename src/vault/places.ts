/** The associated-data places of every secret column: a ciphertext moved anywhere else fails. */
import type { SecretPlace } from '../crypto/secretField.ts'

export type Chain = 'polygon' | 'solana'

export const mnemonicPlace = (userId: string): SecretPlace => ({ table: 'users', column: 'mnemonic_ciphertext', row: `user:${userId}` })

export const identityKeyPlace = (userId: string): SecretPlace => ({ table: 'users', column: 'identity_private_key_ciphertext', row: `user:${userId}` })

export const walletKeyPlace = (userId: string, chain: Chain, address: string): SecretPlace => ({
  table: 'wallets',
  column: 'private_key_ciphertext',
  row: `user:${userId}|chain:${chain}|address:${address}`,
})
