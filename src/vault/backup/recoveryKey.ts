/**
 * A recovery key for a vault whose root key Coffre cannot read out (pkcs11, aws-kms): a fresh random
 * 32-byte local key that wraps every live data key a second time. Two phases, so that a kill at any
 * moment leaves shares that restore:
 * 1. `createPendingRecoveryKey`: the wraps and keyRef are recorded as PENDING next to the current
 *    recovery key (one audited transaction). The caller splits the returned key and prints the shares.
 * 2. `confirmRecoveryKey`: once the shares are out, the pending key becomes current and the previous
 *    one (and its shares) is dropped (one audited transaction).
 * Between the two, the keyring, `backup restore` and `keys rotate-root` accept either key; `doctor`
 * reports the unfinished split. Data keys created afterwards (rotation) get no recovery wrap: the
 * recovery key is not kept anywhere; `doctor` reports them (check `recovery-key`). The MAC key
 * (vault/integrity) is wrapped by the recovery key too, in the same two phases.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Keyring } from '../keyring/keyring.ts'
import { openLocalKeyProvider } from '../../keyProviders/local.ts'
import { CoffreError } from '../../errors.ts'
import { appendAuditEntries } from '../../store/audit/append.ts'
import { listDataKeys, lockDataKeys } from '../../store/dataKeys.ts'
import { promotePendingRecoveryKey, writePendingRecoveryKey } from '../../store/recoveryKeys.ts'
import type { Store } from '../../store/openStore.ts'
import { promotePendingIntegrityKeyWrap } from '../../store/integrityKeys.ts'
import { wrapMacKeyForRecovery } from '../integrity/recoveryMacKey.ts'

export type RecoveryKey = { readonly key: Uint8Array; readonly keyRef: string; readonly dataKeys: number }

type Deps = { readonly store: Store; readonly keyring: Keyring; readonly actor: string }

export async function createPendingRecoveryKey(deps: Deps, split: { readonly shares: number; readonly threshold: number }): Promise<RecoveryKey> {
  const { db, dialect } = deps.store
  const key = new Uint8Array(randomBytes(32))
  const recovery = openLocalKeyProvider({ key })
  try {
    const { keyRef } = recovery.info
    // Unwrapped (and cached by the keyring) before the transaction: on SQLite the keyring's own
    // queries would wait behind it.
    const loaded = new Set<string>()
    for (const row of await listDataKeys(db)) {
      if (row.state === 'retired') continue
      await deps.keyring.loadDataKey(row.id)
      loaded.add(row.id)
    }
    const dataKeys = await db.transaction().execute(async (trx) => {
      // Writers wait: no data key may be created while the live ones are being wrapped.
      await lockDataKeys(trx, dialect)
      const rows = (await listDataKeys(trx)).filter((row) => row.state !== 'retired')
      const wraps = new Map<string, string>()
      for (const row of rows) {
        if (!loaded.has(row.id)) throw new CoffreError('COFFRE_CONFLICT', `data key ${row.id} was created meanwhile; run backup split again`)
        wraps.set(row.id, await wrapChecked(recovery, await deps.keyring.dataKeyCopy(row.id, trx), row.id))
      }
      await writePendingRecoveryKey(trx, keyRef, wraps)
      await wrapMacKeyForRecovery(trx, deps.keyring.provider, recovery)
      const rootKeyRef = deps.keyring.provider.info.keyRef
      await appendAuditEntries(trx, dialect, [
        { action: 'backup.recovery-key', actor: deps.actor, subject: `recovery_key:${keyRef}`, details: { rootKeyRef, dataKeys: rows.length, pending: true } },
        { action: 'backup.split', actor: deps.actor, subject: `recovery_key:${keyRef}`, details: split },
      ])
      return rows.length
    })
    return { key: Uint8Array.from(key), keyRef, dataKeys }
  } finally {
    key.fill(0)
    await recovery.close()
  }
}

/** Phase 2: the pending key `keyRef` becomes the recovery key; false when another split replaced it meanwhile. */
export async function confirmRecoveryKey(deps: Omit<Deps, 'keyring'>, keyRef: string): Promise<boolean> {
  return deps.store.db.transaction().execute(async (trx) => {
    if (!(await promotePendingRecoveryKey(trx, keyRef))) return false
    await promotePendingIntegrityKeyWrap(trx)
    await appendAuditEntries(trx, deps.store.dialect, [{ action: 'backup.recovery-key.confirm', actor: deps.actor, subject: `recovery_key:${keyRef}`, details: {} }])
    return true
  })
}

/** Wraps `plaintext` (wiped here) under the recovery key and proves the wrap gives it back unchanged. */
async function wrapChecked(recovery: ReturnType<typeof openLocalKeyProvider>, plaintext: Uint8Array, dataKeyId: string): Promise<string> {
  const context = { dataKeyId }
  let check: Uint8Array | undefined
  try {
    const wrapped = await recovery.wrapDataKey(plaintext, context)
    check = await recovery.unwrapDataKey(wrapped, context)
    if (check.length !== plaintext.length || !timingSafeEqual(check, plaintext)) {
      throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', `the recovery key did not give data key ${dataKeyId} back unchanged`)
    }
    return Buffer.from(wrapped).toString('base64')
  } finally {
    plaintext.fill(0)
    check?.fill(0)
  }
}
