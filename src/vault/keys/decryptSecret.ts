/**
 * Decrypts a stored secret for a use (signing, export, credentials, doctor). A failure — a
 * ciphertext that was modified or moved, a data key that is missing or retired, a root key that
 * does not open it — is audited before the error goes on: which field of which user, which data
 * key, the error code; never a value. If even that audit entry cannot be written, the decrypt
 * error is still the one the caller sees.
 */
import { isCoffreError } from '../../errors.ts'
import { isSecretField, parseSecretField, type SecretPlace } from '../../crypto/secretField.ts'
import { DEFAULT_ACTOR, type VaultContext } from '../context.ts'

export type DecryptUse = { readonly purpose: string; readonly actor?: string; readonly userId?: string | null }

const AUDITED = new Set(['COFFRE_DECRYPT_FAILED', 'COFFRE_DATA_KEY_UNAVAILABLE', 'COFFRE_ROOT_KEY_INVALID'])

export async function decryptSecret(ctx: VaultContext, value: string, place: SecretPlace, use: DecryptUse): Promise<Uint8Array> {
  try {
    return await ctx.keyring.decrypt(value, place)
  } catch (error) {
    if (isCoffreError(error) && AUDITED.has(error.code)) await auditDecryptFailure(ctx, value, place, use, error.code)
    throw error
  }
}

async function auditDecryptFailure(ctx: VaultContext, value: string, place: SecretPlace, use: DecryptUse, code: string): Promise<void> {
  const entry = {
    action: 'secret.decrypt-failed',
    actor: use.actor ?? DEFAULT_ACTOR,
    userId: use.userId ?? null,
    subject: `${place.table}.${place.column}`,
    details: { purpose: use.purpose, code, dataKeyId: isSecretField(value) ? parseSecretField(value).dataKeyId : null },
  }
  try {
    await ctx.audit.append(entry)
    ctx.observer.audited?.(entry.action, 1)
  } catch {
    // The decrypt error stays the one reported; a failing audit shows up on its own (doctor, audit verify).
  }
  ctx.logger.warn({ audit: entry.action, actor: entry.actor, userId: entry.userId ?? undefined, subject: entry.subject, purpose: use.purpose, code }, 'audit')
}
