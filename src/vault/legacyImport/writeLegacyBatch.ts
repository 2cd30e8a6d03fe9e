/**
 * Writes one page of a legacy import: the new users (through the vault's user-creation path), the
 * API credentials that come with them or with users already present, and the quarantine rows
 * (never a value, only the field and why).
 */
import type { ApiCredentials } from '../../ops/legacyImport/classifyApiCredentials.ts'
import { recordQuarantine } from '../../store/legacyImportQueries.ts'
import type { VaultContext } from '../context.ts'
import { storeNewUsers } from '../users/storeNewUser.ts'
import type { ImportItem, QuarantinedValue, Tally } from './legacyImportTypes.ts'
import { storeLegacyCredentials } from './storeLegacyCredentials.ts'

export async function writeLegacyBatch(
  ctx: VaultContext,
  sourceName: string,
  toImport: readonly ImportItem[],
  credentialsForExisting: readonly { userId: string; credentials: ApiCredentials }[],
  quarantined: readonly QuarantinedValue[],
  actor: string,
  tally: Tally,
): Promise<void> {
  const users = toImport.length === 0 ? [] : await storeNewUsers(ctx, toImport.map((t) => t.item))
  const credentials = [...credentialsForExisting]
  users.forEach((user, i) => {
    if (user === null) {
      tally.alreadyPresent += 1 // a concurrent run imported it first
      return
    }
    tally.imported += 1
    const creds = toImport[i]!.credentials
    if (creds !== null) credentials.push({ userId: user.id, credentials: creds })
  })
  tally.credImported += await storeLegacyCredentials(ctx, credentials, actor)
  await recordQuarantine(ctx.store.db, sourceName, quarantined, new Date().toISOString())
}
