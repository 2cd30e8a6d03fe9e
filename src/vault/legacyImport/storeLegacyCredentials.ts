/**
 * Stores legacy Polymarket API credentials, encrypted (secret and passphrase), with their audit
 * entry — unless an earlier import already brought that key over for that user. Split across
 * transactions when the active data key has no room for all of them.
 */
import type { ApiCredentials } from '../../ops/legacyImport/classifyApiCredentials.ts'
import type { AuditEntry } from '../../store/audit/entry.ts'
import { insertLegacyCredentials } from '../../store/legacyCredentials.ts'
import { knownApiCredentials } from '../../store/legacyImportQueries.ts'
import { secretPlace } from '../../store/secretColumns.ts'
import type { VaultContext } from '../context.ts'
import { writeWithSecrets } from '../writeTransaction.ts'

const ENCRYPTIONS_PER_ITEM = 2

export async function storeLegacyCredentials(ctx: VaultContext, items: readonly { userId: string; credentials: ApiCredentials }[], actor: string): Promise<number> {
  let done = 0
  let stored = 0
  while (done < items.length) {
    const rest = items.slice(done)
    const batch = await writeWithSecrets(
      ctx,
      async (trx, sealer) => {
        const at = new Date().toISOString()
        let handled = 0
        let inserted = 0
        const audit: AuditEntry[] = []
        // Read in the transaction: credentials imported before (even if since used, moved or revoked) are never stored again.
        const known = await knownApiCredentials(trx, rest.map((r) => r.userId))
        for (const { userId, credentials } of rest) {
          if (known.has(`${userId} ${credentials.apiKey}`)) {
            handled += 1
            continue
          }
          if (!sealer.take(ENCRYPTIONS_PER_ITEM)) break
          handled += 1
          const identity = { user_id: userId, api_key: credentials.apiKey }
          const stored = await insertLegacyCredentials(trx, {
            user_id: userId,
            api_key: credentials.apiKey,
            secret_ciphertext: sealer.seal(credentials.secret, secretPlace('legacy_api_credentials', 'secret_ciphertext', identity)),
            passphrase_ciphertext: sealer.seal(credentials.passphrase, secretPlace('legacy_api_credentials', 'passphrase_ciphertext', identity)),
            created_at: at,
          })
          if (stored) {
            inserted += 1
            audit.push({ action: 'legacy.import-api-credentials', actor, userId, subject: 'polymarket:api-credentials', details: { apiKey: credentials.apiKey } })
          }
        }
        return { result: { handled, inserted }, audit }
      },
      { encryptions: ENCRYPTIONS_PER_ITEM },
    )
    if (batch.handled === 0) throw new Error('a credentials write stored nothing')
    done += batch.handled
    stored += batch.inserted
  }
  return stored
}
