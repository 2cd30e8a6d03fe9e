/**
 * Folds credentials the legacy import stored in `legacy_api_credentials` into `clob_credentials`
 * the first time a user needs them: decrypt (audited in the same transaction), re-seal under the
 * new place, delete the legacy row. Legacy keys were created with the default L1 nonce 0. A legacy
 * copy of a key that was revoked since (or is stored for another user) is dropped, audited, and
 * never made the user's current key again.
 */
import { deleteLegacyCredentials, findLegacyCredentials } from '../../store/legacyCredentials.ts'
import { secretPlace } from '../../store/secretColumns.ts'
import { findCredentialByKey, type ClobCredentialRow } from './credentialRows.ts'
import type { VaultContext } from '../context.ts'
import { decryptSecret } from '../keys/decryptSecret.ts'
import { writeWithSecrets } from '../writeTransaction.ts'
import { storeImportedCredentials } from './storeImportedCredentials.ts'

export async function adoptLegacyCredentials(
  ctx: VaultContext,
  holder: { readonly userId: string; readonly address: string },
  target: { readonly baseUrl: string; readonly chainId: number },
  actor: string,
): Promise<ClobCredentialRow | undefined> {
  const legacy = await findLegacyCredentials(ctx.store.db, holder.userId)
  if (legacy === undefined) return undefined
  const stored = await findCredentialByKey(ctx, ctx.store.db, target.baseUrl, legacy.api_key)
  if (stored !== undefined && (stored.state !== 'active' || stored.user_id !== holder.userId)) {
    // That key was revoked since it was adopted (or belongs to someone else): a stale legacy copy never makes it current again.
    await writeWithSecrets(ctx, async (trx) => {
      await deleteLegacyCredentials(trx, holder.userId, legacy.api_key)
      const reason = stored.user_id !== holder.userId ? 'stored for another user' : 'revoked'
      return { result: undefined, audit: [{ action: 'polymarket.credentials.discard-legacy', actor, userId: holder.userId, subject: `polymarket:${legacy.api_key}`, details: { reason } }] }
    })
    return undefined
  }
  const identity = { user_id: legacy.user_id, api_key: legacy.api_key }
  // Decrypted before the write transaction opens: nothing inside it waits on the store.
  const use = { purpose: 'polymarket.adopt-legacy', userId: holder.userId, actor }
  const secret = await decryptSecret(ctx, legacy.secret_ciphertext, secretPlace('legacy_api_credentials', 'secret_ciphertext', identity), use)
  try {
    const passphrase = await decryptSecret(ctx, legacy.passphrase_ciphertext, secretPlace('legacy_api_credentials', 'passphrase_ciphertext', identity), use)
    try {
      await writeWithSecrets(
        ctx,
        async (trx, sealer) => {
          const stored = await storeImportedCredentials(ctx, trx, sealer, {
            userId: holder.userId, address: holder.address, apiKey: legacy.api_key, secret, passphrase, chainId: target.chainId, baseUrl: target.baseUrl, nonce: 0, createdAt: legacy.created_at,
          })
          await deleteLegacyCredentials(trx, holder.userId)
          const audit = [{ action: 'polymarket.credentials.adopt-legacy', actor, userId: holder.userId, subject: `polymarket:${legacy.api_key}`, details: { inserted: stored.inserted } }]
          return { result: stored, audit }
        },
        { encryptions: 2 },
      )
    } finally {
      passphrase.fill(0)
    }
  } finally {
    secret.fill(0)
  }
  const adopted = await findCredentialByKey(ctx, ctx.store.db, target.baseUrl, legacy.api_key)
  return adopted?.state === 'active' && adopted.user_id === holder.userId ? adopted : undefined
}
