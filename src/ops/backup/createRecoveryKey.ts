/**
 * A recovery key for a vault whose root key Coffre cannot read out (pkcs11, aws-kms): a fresh random
 * 32-byte local key that wraps every live data key a second time (data_keys.recovery_wrapped_key).
 * Wraps, the keyRef in coffre_meta and the audit entry land in one transaction; a new recovery key
 * replaces the previous one, whose shares stop working. The caller splits the returned key and wipes it.
 *
 * Data keys created afterwards (rotation) get no recovery wrap: the recovery key is not kept
 * anywhere. `coffre doctor` reports them (check `recovery-key`) until split is run again.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { Keyring } from '../../crypto/keyring.ts'
import { openLocalKeyProvider } from '../../crypto/providers/local.ts'
import { CoffreError } from '../../errors.ts'
import { appendAuditEntries } from '../../store/audit/append.ts'
import { listDataKeys } from '../../store/dataKeys.ts'
import type { StoreDialect } from '../../store/dialect.ts'
import { writeRecoveryKeyRef } from '../../store/recoveryKeyRef.ts'
import type { Database } from '../../store/schema.ts'

export type RecoveryKey = { readonly key: Uint8Array; readonly keyRef: string; readonly dataKeys: number }

export async function createRecoveryKey(deps: { readonly db: Kysely<Database>; readonly dialect: StoreDialect; readonly keyring: Keyring; readonly actor: string }): Promise<RecoveryKey> {
  const key = new Uint8Array(randomBytes(32))
  const recovery = openLocalKeyProvider({ key })
  try {
    const { keyRef } = recovery.info
    // Unwrapped (and cached by the keyring) before the transaction: on SQLite the keyring's own
    // queries would wait behind it.
    const loaded = new Set<string>()
    for (const row of await listDataKeys(deps.db)) {
      if (row.state === 'retired') continue
      await deps.keyring.loadDataKey(row.id)
      loaded.add(row.id)
    }
    const dataKeys = await deps.db.transaction().execute(async (trx) => {
      // Writers wait: no data key may be created while the live ones are being wrapped.
      if (deps.dialect === 'postgres') await sql`lock table data_keys in share row exclusive mode`.execute(trx)
      const rows = (await listDataKeys(trx)).filter((row) => row.state !== 'retired')
      for (const row of rows) {
        if (!loaded.has(row.id)) throw new CoffreError('COFFRE_CONFLICT', `data key ${row.id} was created meanwhile; run backup split again`)
        const context = { dataKeyId: row.id }
        const plaintext = await deps.keyring.dataKeyCopy(row.id, trx)
        let check: Uint8Array | undefined
        try {
          const wrapped = await recovery.wrapDataKey(plaintext, context)
          check = await recovery.unwrapDataKey(wrapped, context)
          if (check.length !== plaintext.length || !timingSafeEqual(check, plaintext)) {
            throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', `the recovery key did not give data key ${row.id} back unchanged`)
          }
          await trx.updateTable('data_keys').set({ recovery_wrapped_key: Buffer.from(wrapped).toString('base64') }).where('id', '=', row.id).execute()
        } finally {
          plaintext.fill(0)
          check?.fill(0)
        }
      }
      // Wraps under an earlier recovery key (e.g. retired keys) must not outlive it.
      await trx.updateTable('data_keys').set({ recovery_wrapped_key: null }).where('state', '=', 'retired').execute()
      await writeRecoveryKeyRef(trx, keyRef)
      await appendAuditEntries(trx, deps.dialect, [
        { action: 'backup.recovery-key', actor: deps.actor, subject: `recovery_key:${keyRef}`, details: { rootKeyRef: deps.keyring.provider.info.keyRef, dataKeys: rows.length } },
      ])
      return rows.length
    })
    return { key: Uint8Array.from(key), keyRef, dataKeys }
  } finally {
    key.fill(0)
    await recovery.close()
  }
}
