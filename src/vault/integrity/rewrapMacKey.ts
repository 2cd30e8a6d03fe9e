/**
 * `keys rotate-root` for the MAC key: unwrapped by the current root key (or its recovery wrap),
 * wrapped by the new one, checked, and stored in the rotation's transaction. The key itself does not
 * change, so no row needs a new MAC; afterwards only the new root key produces it.
 */
import type { Transaction } from 'kysely'
import { CoffreError } from '../../errors.ts'
import type { KeyProvider } from '../../keyProviders/keyProvider.ts'
import { findIntegrityKey, updateIntegrityKeyWrap } from '../../store/integrityKeys.ts'
import type { RecoveryKeyRefs } from '../../store/recoveryKeys.ts'
import type { Database } from '../../store/schema.ts'
import { MAC_KEY_CONTEXT, MAC_KEY_ID, macKeyCheckValue, unwrapMacKey } from './macKey.ts'

/** `authenticating`: the caller re-MACs the rows it changes; a store without integrity enabled has no MAC key to rewrap. */
export async function rewrapMacKey(trx: Transaction<Database>, from: KeyProvider, to: KeyProvider, refs: RecoveryKeyRefs, authenticating: boolean): Promise<void> {
  const row = await findIntegrityKey(trx, MAC_KEY_ID)
  if (row === undefined) {
    if (authenticating) throw new CoffreError('COFFRE_INTEGRITY_FAILED', 'the MAC key row (integrity_keys) is missing', { details: { row: `integrity_keys:${MAC_KEY_ID}` } })
    return
  }
  if (!authenticating) throw new CoffreError('COFFRE_UNSUPPORTED', 'integrity is enabled on this vault: rotate its root key through the vault (keys rotate-root), which re-authenticates the data-key rows')
  const key = await unwrapMacKey(row, from, refs)
  let check: Uint8Array | undefined
  try {
    const wrapped = await to.wrapDataKey(key, MAC_KEY_CONTEXT)
    check = await to.unwrapDataKey(wrapped, MAC_KEY_CONTEXT)
    if (macKeyCheckValue(check) !== row.check_value) throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', 'the new root key did not give the MAC key back unchanged')
    await updateIntegrityKeyWrap(trx, MAC_KEY_ID, Buffer.from(wrapped).toString('base64'), to.info.kind, to.info.keyRef)
  } finally {
    key.fill(0)
    check?.fill(0)
  }
}
