/**
 * Before an import writes anything, the legacy key must prove itself on the source: the source is
 * read in order until a value authenticates under it (the key is right; a later value that does
 * not is a corrupt or foreign row, quarantined on its own). If a value that has the shape of a
 * legacy ciphertext — and is no valid plaintext for its field — fails first, the key is not the one
 * these values were encrypted with: the import stops there with COFFRE_LEGACY_KEY_INVALID naming
 * that row, instead of quarantining every user. A source with no encrypted value at all needs no key.
 */
import { CoffreError } from '../../errors.ts'
import { classifyApiCredentials } from './classifyApiCredentials.ts'
import { classifyWalletKey, type ClassifiedKey } from './classifyWalletKey.ts'
import { NOT_AUTHENTICATED } from './legacyCipher.ts'
import type { LegacySource } from './legacySource.ts'

export type KeyConfirmation = { readonly confirmedAt: string | null; readonly scanned: number }

export async function confirmLegacyKey(source: LegacySource, legacyKey: Uint8Array, pageSize: number): Promise<KeyConfirmation> {
  let after: string | null = null
  let scanned = 0
  for (;;) {
    const rows = await source.page(after, pageSize)
    if (rows.length === 0) return { confirmedAt: null, scanned }
    for (const row of rows) {
      scanned += 1
      const id = row.telegram_user_id
      const wallets: [string, ClassifiedKey][] = [
        ['polygon_private_key', classifyWalletKey('polygon', row.polygon_private_key, row.polygon_address, legacyKey)],
        ['solana_private_key', classifyWalletKey('solana', row.solana_private_key, row.solana_address, legacyKey)],
      ]
      let confirmed = false
      let failed: string | null = null
      for (const [field, key] of wallets) {
        if (key.ok) {
          confirmed ||= key.source === 'legacy-encrypted'
          key.privateKey.fill(0)
        } else if (key.reason === NOT_AUTHENTICATED) failed ??= field
      }
      const credentials = classifyApiCredentials(row, legacyKey)
      if (credentials.kind === 'ok') {
        confirmed ||= credentials.authenticated
        credentials.credentials.secret.fill(0)
        credentials.credentials.passphrase.fill(0)
      } else if (credentials.kind === 'quarantine' && credentials.reason === NOT_AUTHENTICATED) failed ??= credentials.field
      if (confirmed) return { confirmedAt: id, scanned }
      if (failed !== null) {
        throw new CoffreError(
          'COFFRE_LEGACY_KEY_INVALID',
          `the legacy key does not authenticate ${failed} of telegram user ${id}, the first encrypted value in the source: it is not the ENCRYPTION_KEY these values were encrypted with; nothing was imported`,
          { details: { telegramUserId: id, field: failed } },
        )
      }
    }
    after = rows[rows.length - 1]!.telegram_user_id
  }
}
