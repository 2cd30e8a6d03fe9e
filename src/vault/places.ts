/** The associated-data places of the vault's secret columns (see store/secretColumns.ts). */
import type { SecretPlace } from '../crypto/secretField.ts'
import { secretPlace } from '../store/secretColumns.ts'

export type Chain = 'polygon' | 'solana'

export const mnemonicPlace = (userId: string): SecretPlace => secretPlace('users', 'mnemonic_ciphertext', { id: userId })

export const identityKeyPlace = (userId: string): SecretPlace => secretPlace('users', 'identity_private_key_ciphertext', { id: userId })

export const walletKeyPlace = (userId: string, chain: Chain, address: string): SecretPlace =>
  secretPlace('wallets', 'private_key_ciphertext', { user_id: userId, chain, address })
