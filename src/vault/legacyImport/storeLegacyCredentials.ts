/** Stores legacy Polymarket API credentials, encrypted (secret and passphrase), with their audit entry. */
import type { ApiCredentials } from '../../ops/legacyImport/classifyApiCredentials.ts'
import { secretPlace } from '../../store/secretColumns.ts'
import type { VaultContext } from '../context.ts'
import { writeWithSecrets } from '../writeTransaction.ts'

export async function storeLegacyCredentials(ctx: VaultContext, items: readonly { userId: string; credentials: ApiCredentials }[], actor: string): Promise<number> {
  if (items.length === 0) return 0
  return writeWithSecrets(ctx, async (trx, sealer) => {
    const at = new Date().toISOString()
    let stored = 0
    const audit = []
    for (const { userId, credentials } of items) {
      const identity = { user_id: userId, api_key: credentials.apiKey }
      const result = await trx
        .insertInto('legacy_api_credentials')
        .values({
          user_id: userId,
          api_key: credentials.apiKey,
          secret_ciphertext: sealer.seal(credentials.secret, secretPlace('legacy_api_credentials', 'secret_ciphertext', identity)),
          passphrase_ciphertext: sealer.seal(credentials.passphrase, secretPlace('legacy_api_credentials', 'passphrase_ciphertext', identity)),
          created_at: at,
        })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .executeTakeFirst()
      if (result.numInsertedOrUpdatedRows === 1n) {
        stored += 1
        audit.push({ action: 'legacy.import-api-credentials', actor, userId, subject: 'polymarket:api-credentials', details: { apiKey: credentials.apiKey } })
      }
    }
    return { result: stored, audit }
  })
}
