/**
 * The MAC key: a random 32-byte secret that only the root-key provider can produce. It is made once
 * and stored wrapped by the root key (`wrapDataKey` under its own context, so every provider —
 * local, PKCS#11, AWS KMS — keeps it the same way as a data key, with no per-request round trip),
 * and by the recovery key when `backup split` makes one. `keys rotate-root` rewraps it. A check
 * value (HMAC of a fixed label) proves an unwrap gave the right key back.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { CoffreError } from '../../errors.ts'
import type { DataKeyContext, KeyProvider } from '../../keyProviders/keyProvider.ts'
import type { IntegrityKeyRow } from '../../store/integrityKeys.ts'
import type { RecoveryKeyRefs } from '../../store/recoveryKeys.ts'

export const MAC_KEY_ID = 'mac-v1'
/** The wrap context: distinct from every data-key id (`dk_…`), so no data key's wrap stands in for it. */
export const MAC_KEY_CONTEXT: DataKeyContext = { dataKeyId: 'coffre-integrity-mac-key-v1' }

export function macKeyCheckValue(key: Uint8Array): string {
  return createHmac('sha256', key).update('coffre-mac-key-check-v1').digest('base64url')
}

/** A fresh MAC key (plaintext: the caller owns and wipes it) and the row that stores it wrapped. */
export async function generateMacKey(provider: KeyProvider, now: Date): Promise<{ key: Uint8Array; row: IntegrityKeyRow }> {
  const { plaintext, wrapped } = await provider.generateDataKey(MAC_KEY_CONTEXT)
  return {
    key: plaintext,
    row: {
      id: MAC_KEY_ID,
      wrapped_key: Buffer.from(wrapped).toString('base64'),
      provider_kind: provider.info.kind,
      provider_key_ref: provider.info.keyRef,
      check_value: macKeyCheckValue(plaintext),
      created_at: now.toISOString(),
    },
  }
}

/** The wrap of the MAC key that `provider` opens: its own, or (opened with a recovery key) the recovery wrap. */
export function macKeyWrapFor(row: IntegrityKeyRow, provider: KeyProvider, refs: RecoveryKeyRefs): string | undefined {
  const { kind, keyRef } = provider.info
  if (row.provider_kind === kind && row.provider_key_ref === keyRef) return row.wrapped_key
  if (kind !== 'local') return undefined
  if (keyRef === refs.current && row.recovery_wrapped_key != null) return row.recovery_wrapped_key
  if (keyRef === refs.pending && row.pending_recovery_wrapped_key != null) return row.pending_recovery_wrapped_key
  return undefined
}

/** Unwraps the MAC key with `provider` and proves it by its check value. */
export async function unwrapMacKey(row: IntegrityKeyRow, provider: KeyProvider, refs: RecoveryKeyRefs): Promise<Uint8Array> {
  const wrapped = macKeyWrapFor(row, provider, refs)
  if (wrapped === undefined) {
    throw new CoffreError('COFFRE_ROOT_KEY_INVALID', `the MAC key is wrapped under root key ${row.provider_key_ref}, but the configured root key is ${provider.info.keyRef}`)
  }
  const key = await provider.unwrapDataKey(new Uint8Array(Buffer.from(wrapped, 'base64')), MAC_KEY_CONTEXT)
  const check = Buffer.from(macKeyCheckValue(key))
  const stored = Buffer.from(row.check_value)
  if (check.length !== stored.length || !timingSafeEqual(check, stored)) {
    key.fill(0)
    throw new CoffreError('COFFRE_ROOT_KEY_INVALID', 'the MAC key does not match its check value')
  }
  return key
}
