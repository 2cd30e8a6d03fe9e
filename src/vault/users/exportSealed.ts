/**
 * The export for callers that must never see the plaintext (the HTTP API): the audited export,
 * sealed inside the vault with HPKE to the caller's X25519 public key (src/crypto/exportEnvelope.ts,
 * docs/export.md). Only ciphertext leaves this function; the recipient key is checked before any
 * secret is decrypted.
 */
import { assertUsableRecipient, parseRecipientPublicKey, sealExportEnvelope, type ExportEnvelope } from '../../crypto/exportEnvelope.ts'
import type { ActionOptions, VaultContext } from '../context.ts'
import { exportUserWallet } from './exportUser.ts'
import type { UserRef } from './findUser.ts'

export type SealedExport = ExportEnvelope & { readonly userId: string }

export async function exportSealed(ctx: VaultContext, ref: UserRef, recipientPublicKey: string, options: ActionOptions & { reason?: string } = {}): Promise<SealedExport> {
  const recipient = parseRecipientPublicKey(recipientPublicKey)
  await assertUsableRecipient(recipient)
  const exported = await exportUserWallet(ctx, ref, options)
  const plaintext = new Uint8Array(Buffer.from(JSON.stringify(exported), 'utf8'))
  try {
    return { userId: exported.userId, ...(await sealExportEnvelope(recipient, plaintext, exported.userId)) }
  } finally {
    plaintext.fill(0)
  }
}
