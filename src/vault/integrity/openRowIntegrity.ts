/**
 * Opens the vault's row integrity: unwraps the MAC key, or — on a vault made before integrity
 * existed, or a new one — makes it and authenticates every existing row in ONE audited transaction
 * (`integrity.enable`), after checking each row's shape (structuralChecks.ts): an inconsistent row
 * refuses the whole step and is named. A vault whose MAC-key row is gone while rows carry MACs (or
 * the audit trail says integrity was enabled) refuses to open: deleting the key row must not
 * re-enable integrity over rows a database writer forged.
 */
import { isCoffreError, CoffreError } from '../../errors.ts'
import type { KeyProvider } from '../../keyProviders/keyProvider.ts'
import { appendAuditEntries } from '../../store/audit/append.ts'
import { findIntegrityKey, insertIntegrityKey, integrityEnabledInAudit } from '../../store/integrityKeys.ts'
import type { Store } from '../../store/openStore.ts'
import { readRecoveryKeyRefs } from '../../store/recoveryKeys.ts'
import { anyRowMacSet, listRowsOf, ROW_KEYS, setRowMac, type AuthenticatedTable, type StoredRow } from '../../store/rowMacs.ts'
import { generateMacKey, MAC_KEY_ID, unwrapMacKey } from './macKey.ts'
import { RowIntegrity } from './rowIntegrity.ts'
import { structuralProblems } from './structuralChecks.ts'

export const INTEGRITY_ACTOR = 'system:integrity'

export async function openRowIntegrity(store: Store, provider: KeyProvider, now: () => Date = () => new Date()): Promise<RowIntegrity> {
  const existing = await findIntegrityKey(store.db, MAC_KEY_ID)
  if (existing !== undefined) return new RowIntegrity(await unwrapMacKey(existing, provider, await readRecoveryKeyRefs(store.db)))
  if ((await anyRowMacSet(store.db)) || (await integrityEnabledInAudit(store.db))) {
    throw new CoffreError('COFFRE_INTEGRITY_FAILED', 'the MAC key row (integrity_keys) is missing although integrity was enabled on this vault: it was deleted outside Coffre; restore the database from a backup', {
      details: { row: `integrity_keys:${MAC_KEY_ID}` },
    })
  }
  const { key, row } = await generateMacKey(provider, now())
  const integrity = new RowIntegrity(key)
  try {
    await store.db.transaction().execute(async (trx) => {
      // The key row first: a second process enabling at the same time waits on it, then fails and loads ours.
      await insertIntegrityKey(trx, row)
      const rows = {} as Record<AuthenticatedTable, StoredRow[]>
      for (const table of Object.keys(ROW_KEYS) as AuthenticatedTable[]) rows[table] = await listRowsOf(trx, table)
      const problems = structuralProblems(rows)
      if (problems.length > 0) {
        throw new CoffreError('COFFRE_INTEGRITY_FAILED', `cannot enable integrity: ${problems.length} row(s) are already inconsistent: ${problems.slice(0, 20).join('; ')}`, {
          details: { rows: problems.slice(0, 100).join('\n') },
        })
      }
      const counts: Record<string, number> = {}
      for (const table of Object.keys(rows) as AuthenticatedTable[]) {
        for (const stored of rows[table]) await setRowMac(trx, table, stored, integrity.macOf(table, stored))
        counts[table] = rows[table].length
      }
      await appendAuditEntries(trx, store.dialect, [
        { action: 'integrity.enable', actor: INTEGRITY_ACTOR, subject: `integrity_key:${MAC_KEY_ID}`, details: { rootKeyRef: provider.info.keyRef, ...counts } },
      ])
    })
  } catch (error) {
    integrity.close()
    if (isCoffreError(error) && error.code === 'COFFRE_INTEGRITY_FAILED') throw error
    const raced = await findIntegrityKey(store.db, MAC_KEY_ID).catch(() => undefined)
    if (raced !== undefined) return new RowIntegrity(await unwrapMacKey(raced, provider, await readRecoveryKeyRefs(store.db)))
    throw error
  }
  return integrity
}
