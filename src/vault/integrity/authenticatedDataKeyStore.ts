/**
 * The keyring's store with row integrity: every data-key row it reads must authenticate (a key
 * un-retired, re-wrapped or swapped by SQL is refused with COFFRE_INTEGRITY_FAILED, so nothing
 * decrypts under it), and every row it writes or changes gets its new MAC. `openVault` wraps the
 * store's DataKeyStore in it; the keyring itself knows nothing of MACs.
 */
import type { DataKeyStore } from '../keyring/dataKeyStore.ts'
import type { DataKeyRow } from '../../store/dataKeys.ts'
import type { RowIntegrity } from './rowIntegrity.ts'

export function authenticatedDataKeyStore(inner: DataKeyStore, integrity: RowIntegrity): DataKeyStore {
  const verified = <R extends DataKeyRow | undefined>(row: R): R => {
    if (row !== undefined) integrity.require('data_keys', row)
    return row
  }
  return {
    transaction: (work) => inner.transaction(work),
    findActive: async (via) => verified(await inner.findActive(via)),
    find: async (id, via) => verified(await inner.find(id, via)),
    list: async (via) => (await inner.list(via)).map(verified),
    anySecretStored: () => inner.anySecretStored(),
    insert: (trx, row) => inner.insert(trx, { ...row, row_mac: integrity.macOf('data_keys', row) }),
    async setState(trx, id, state, at) {
      const row = verified(await inner.find(id, trx))
      const mac = row === undefined ? undefined : integrity.macOf('data_keys', { ...row, state })
      await inner.setState(trx, id, state, at, mac)
    },
    addEncryptions: (trx, id, count, budget) => inner.addEncryptions(trx, id, count, budget),
    recoveryKeyRefs: (via) => inner.recoveryKeyRefs(via),
    appendAudit: (trx, entries) => inner.appendAudit(trx, entries),
  }
}
