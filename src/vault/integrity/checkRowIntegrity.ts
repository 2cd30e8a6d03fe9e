/**
 * `doctor`'s `integrity` check: every authenticated row of every table is MAC-checked and each one
 * that does not authenticate is named (table and primary key; never its contents). The MAC key row
 * itself is checked by opening the vault.
 */
import { listRowsOf, ROW_KEYS, type AuthenticatedTable } from '../../store/rowMacs.ts'
import type { VaultContext } from '../context.ts'
import { rowName } from './rowFields.ts'

export async function checkRowIntegrity(ctx: VaultContext): Promise<{ ok: boolean; detail: string; failures?: string[] }> {
  const failures: string[] = []
  let rows = 0
  for (const table of Object.keys(ROW_KEYS) as AuthenticatedTable[]) {
    for (const row of await listRowsOf(ctx.store.db, table)) {
      rows += 1
      if (!ctx.integrity.check(table, row)) failures.push(`${rowName(table, row)} does not authenticate (${row.row_mac == null ? 'no MAC' : 'wrong MAC'}): written or changed outside Coffre`)
    }
  }
  const detail = `${rows - failures.length}/${rows} rows authenticate`
  return failures.length === 0 ? { ok: true, detail } : { ok: false, detail, failures }
}
