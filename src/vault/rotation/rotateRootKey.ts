/**
 * Root-key (KEK) rotation: every data key is unwrapped by the current root key, wrapped by the new
 * one, checked by unwrapping it again, and stored — all in one transaction with its audit entry.
 * The cost depends on the number of data keys, not of users. Also migrates between providers
 * (local → pkcs11 → aws-kms). Afterwards only the new root key opens the vault; other running
 * instances must be restarted with the new key configuration. A run killed before its commit
 * changed nothing and is simply run again; one killed after it is recognised (`rootKeyRotatedTo`).
 */
import { timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { KeyProvider, KeyProviderInfo } from '../../keyProviders/keyProvider.ts'
import { CoffreError } from '../../errors.ts'
import { appendAuditEntries } from '../../store/audit/append.ts'
import { listDataKeys, lockDataKeys, updateWrappedKey } from '../../store/dataKeys.ts'
import { readRecoveryKeyRefs } from '../../store/recoveryKeys.ts'
import { recoveryWrapOf } from '../keyring/recoveryWrap.ts'
import { rewrapMacKey } from '../integrity/rewrapMacKey.ts'
import type { RowIntegrity } from '../integrity/rowIntegrity.ts'
import type { StoreDialect } from '../../store/dialect.ts'
import type { Database } from '../../store/schema.ts'

export type RootKeyRotationSummary = {
  readonly from: { readonly kind: string; readonly keyRef: string }
  readonly to: { readonly kind: string; readonly keyRef: string; readonly details: KeyProviderInfo['details'] }
  readonly dataKeys: number
  readonly elapsedMs: number
}

export async function rotateRootKey(
  deps: { readonly db: Kysely<Database>; readonly dialect: StoreDialect; readonly actor: string; /** The vault's row integrity; absent only on a store where integrity was never enabled (bare keyring tests, benches). */ readonly integrity?: RowIntegrity },
  from: KeyProvider,
  to: KeyProvider,
): Promise<RootKeyRotationSummary> {
  const started = performance.now()
  if (from.info.kind === to.info.kind && from.info.keyRef === to.info.keyRef) {
    throw new CoffreError('COFFRE_CONFLICT', `the target root key ${to.info.keyRef} is the current root key`)
  }
  const dataKeys = await deps.db.transaction().execute(async (trx) => {
    // Writers wait (a few ms): no data key may be created or counted under the old root meanwhile.
    await lockDataKeys(trx, deps.dialect)
    const rows = await listDataKeys(trx)
    // Opened with the recovery key (after an HSM/KMS loss): it reads the data keys through their recovery wraps.
    const refs = await readRecoveryKeyRefs(trx)
    const fromRecovery = from.info.kind === 'local' && (refs.current === from.info.keyRef || refs.pending === from.info.keyRef)
    for (const row of rows) {
      const ownWrap = row.provider_kind === from.info.kind && row.provider_key_ref === from.info.keyRef
      const wrappedByFrom = ownWrap ? row.wrapped_key : fromRecovery ? recoveryWrapOf(row, from.info.keyRef, refs) : undefined
      // A retired key has no recovery wrap and is never read again: it stays as it is.
      if (wrappedByFrom == null && fromRecovery && row.state === 'retired') continue
      if (wrappedByFrom == null) {
        throw new CoffreError('COFFRE_ROOT_KEY_INVALID', `data key ${row.id} is wrapped under ${row.provider_key_ref}, not the current root key ${from.info.keyRef}`)
      }
      // A row changed by SQL is not carried over under the new root key (nor made valid by a new MAC).
      deps.integrity?.require('data_keys', row)
      const context = { dataKeyId: row.id }
      const plaintext = await from.unwrapDataKey(new Uint8Array(Buffer.from(wrappedByFrom, 'base64')), context)
      let check: Uint8Array | undefined
      try {
        const wrapped = await to.wrapDataKey(plaintext, context)
        check = await to.unwrapDataKey(wrapped, context)
        if (check.length !== plaintext.length || !timingSafeEqual(check, plaintext)) {
          throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', `the new root key did not give data key ${row.id} back unchanged`)
        }
        const rewrapped = { ...row, wrapped_key: Buffer.from(wrapped).toString('base64'), provider_kind: to.info.kind, provider_key_ref: to.info.keyRef }
        await updateWrappedKey(trx, row.id, rewrapped.wrapped_key, to.info.kind, to.info.keyRef, deps.integrity?.macOf('data_keys', rewrapped))
      } finally {
        plaintext.fill(0)
        check?.fill(0)
      }
    }
    await rewrapMacKey(trx, from, to, refs, deps.integrity !== undefined)
    await appendAuditEntries(trx, deps.dialect, [
      {
        action: 'keys.rotate-root',
        actor: deps.actor,
        subject: `root_key:${to.info.keyRef}`,
        details: { fromKind: from.info.kind, fromKeyRef: from.info.keyRef, toKind: to.info.kind, toKeyRef: to.info.keyRef, dataKeys: rows.length },
      },
    ])
    return rows.length
  })
  return {
    from: { kind: from.info.kind, keyRef: from.info.keyRef },
    to: { kind: to.info.kind, keyRef: to.info.keyRef, details: to.info.details },
    dataKeys,
    elapsedMs: Math.round(performance.now() - started),
  }
}

/**
 * Whether a root-key rotation to `to` already committed (its process may have died before it could
 * say so): every data key still read is wrapped by `to`, and `to` opens each of them. Returns how
 * many, or null when the vault is not (entirely) on `to`.
 */
export async function rootKeyRotatedTo(db: Kysely<Database>, to: KeyProvider): Promise<number | null> {
  const live = (await listDataKeys(db)).filter((k) => k.state !== 'retired')
  if (live.length === 0 || live.some((k) => k.provider_kind !== to.info.kind || k.provider_key_ref !== to.info.keyRef)) return null
  for (const key of live) (await to.unwrapDataKey(new Uint8Array(Buffer.from(key.wrapped_key, 'base64')), { dataKeyId: key.id })).fill(0)
  return live.length
}
