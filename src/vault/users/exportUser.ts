/**
 * The audited export: the mnemonic (null for users imported from bare keys), the Polygon key as
 * 0x hex and the Solana key as base58 of the 64-byte seed‖public key (Phantom's import format).
 * The audit entry is durable before anything is returned.
 */
import { encodeEvmPrivateKey } from '../../wallet/evmKeyText.ts'
import { encodeSolanaSecretKey } from '../../wallet/solanaKeyText.ts'
import { entropyToMnemonic } from '../../wallet/mnemonic.ts'
import { CoffreError } from '../../errors.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import { mnemonicPlace, walletKeyPlace } from '../places.ts'
import { decryptSecret } from '../keys/decryptSecret.ts'
import { requireUserRows, type UserRef } from './findUser.ts'

export type ExportedWallet = {
  readonly userId: string
  readonly telegramUserId: number
  readonly mnemonic: string | null
  readonly polygonAddress: string
  readonly polygonPrivateKey: string
  /** Empty ('') for a user imported from a legacy database with a Polygon wallet only (as `User.solanaAddress`). */
  readonly solanaAddress: string
  readonly solanaSecretKey: string
}

export async function exportUserWallet(ctx: VaultContext, ref: UserRef, options: ActionOptions & { reason?: string } = {}): Promise<ExportedWallet> {
  const { user, wallets } = await requireUserRows(ctx, ref)
  const polygon = wallets.find((w) => w.chain === 'polygon')
  const solana = wallets.find((w) => w.chain === 'solana')
  if (polygon === undefined) throw new CoffreError('COFFRE_UNSUPPORTED', 'user lacks a Polygon wallet')
  const secrets: Uint8Array[] = []
  try {
    const decrypt = async (value: string, place: Parameters<typeof ctx.keyring.decrypt>[1]) => {
      const bytes = await decryptSecret(ctx, value, place, { purpose: 'export', userId: user.id, actor: options.actor ?? DEFAULT_ACTOR })
      secrets.push(bytes)
      return bytes
    }
    const entropy = user.mnemonic_ciphertext === null ? null : await decrypt(user.mnemonic_ciphertext, mnemonicPlace(user.id))
    const evmKey = await decrypt(polygon.private_key_ciphertext, walletKeyPlace(user.id, 'polygon', polygon.address))
    const solanaKey = solana === undefined ? null : await decrypt(solana.private_key_ciphertext, walletKeyPlace(user.id, 'solana', solana.address))
    ctx.observer.decrypted?.('export')
    const exported: ExportedWallet = {
      userId: user.id,
      telegramUserId: Number(user.telegram_user_id),
      mnemonic: entropy === null ? null : entropyToMnemonic(entropy),
      polygonAddress: polygon.address,
      polygonPrivateKey: encodeEvmPrivateKey(evmKey),
      solanaAddress: solana?.address ?? '',
      solanaSecretKey: solanaKey === null ? '' : encodeSolanaSecretKey(solanaKey),
    }
    await ctx.audit.append({
      action: 'user.export',
      actor: options.actor ?? DEFAULT_ACTOR,
      userId: user.id,
      subject: 'wallet:all',
      details: { mnemonic: entropy !== null, ...(options.reason === undefined ? {} : { reason: options.reason }) },
    })
    ctx.observer.audited?.('user.export', 1)
    ctx.logger.info({ audit: 'user.export', userId: user.id, actor: options.actor ?? DEFAULT_ACTOR }, 'audit')
    return exported
  } finally {
    for (const secret of secrets) secret.fill(0)
  }
}
