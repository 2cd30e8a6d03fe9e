/** `vault.legacy.import`: the legacy import with the legacy key given as the text of its key file (parsed, used, wiped here). */
import { parseLegacyKey } from '../../ops/legacyImport/legacyKeyText.ts'
import type { VaultContext } from '../context.ts'
import { importLegacyDatabase, type LegacyImportOptions, type LegacyImportReport } from './importLegacyDatabase.ts'

export type LegacyImportInput = Omit<LegacyImportOptions, 'legacyKey'> & {
  /** The legacy ENCRYPTION_KEY file's bytes (base64 of 32 bytes, or the 32-character string form); wiped by the caller. */
  readonly legacyKeyText: Uint8Array
}

export async function importLegacy(ctx: VaultContext, input: LegacyImportInput): Promise<LegacyImportReport> {
  const { legacyKeyText, ...options } = input
  const { key: legacyKey } = parseLegacyKey(Buffer.from(legacyKeyText).toString('utf8'))
  try {
    return await importLegacyDatabase(ctx, { ...options, legacyKey })
  } finally {
    legacyKey.fill(0)
  }
}
