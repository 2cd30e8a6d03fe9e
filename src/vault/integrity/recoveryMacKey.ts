/**
 * `backup split` for the MAC key: the pending recovery key wraps it too (phase 1, in the split's
 * transaction), so a vault restored from the shares still authenticates its rows. The wrap is
 * checked by unwrapping it again before it is stored.
 */
import type { Transaction } from 'kysely'
import { CoffreError } from '../../errors.ts'
import type { KeyProvider } from '../../keyProviders/keyProvider.ts'
import { findIntegrityKey, writePendingIntegrityKeyWrap } from '../../store/integrityKeys.ts'
import { readRecoveryKeyRefs } from '../../store/recoveryKeys.ts'
import type { Database } from '../../store/schema.ts'
import { MAC_KEY_CONTEXT, MAC_KEY_ID, macKeyCheckValue, unwrapMacKey } from './macKey.ts'

export async function wrapMacKeyForRecovery(trx: Transaction<Database>, root: KeyProvider, recovery: KeyProvider): Promise<void> {
  const row = await findIntegrityKey(trx, MAC_KEY_ID)
  if (row === undefined) throw new CoffreError('COFFRE_INTEGRITY_FAILED', 'the MAC key row (integrity_keys) is missing', { details: { row: `integrity_keys:${MAC_KEY_ID}` } })
  const key = await unwrapMacKey(row, root, await readRecoveryKeyRefs(trx))
  let check: Uint8Array | undefined
  try {
    const wrapped = await recovery.wrapDataKey(key, MAC_KEY_CONTEXT)
    check = await recovery.unwrapDataKey(wrapped, MAC_KEY_CONTEXT)
    if (macKeyCheckValue(check) !== row.check_value) throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', 'the recovery key did not give the MAC key back unchanged')
    await writePendingIntegrityKeyWrap(trx, MAC_KEY_ID, Buffer.from(wrapped).toString('base64'))
  } finally {
    key.fill(0)
    check?.fill(0)
  }
}
