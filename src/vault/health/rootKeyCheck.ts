/**
 * Whether the root key still unwraps the active data key through its provider (a live check of
 * the key file, HSM or KMS, not the keyring's cache). It costs a provider call — a KMS Decrypt, an
 * HSM unwrap — so the health monitor runs it on a timer (once a minute by default), never per request.
 */
import { findActiveDataKey } from '../../store/dataKeys.ts'
import type { VaultContext } from '../context.ts'

export async function checkRootKey(ctx: Pick<VaultContext, 'store' | 'keyring'>): Promise<boolean> {
  const active = await findActiveDataKey(ctx.store.db)
  if (active === undefined) return false
  const plaintext = await ctx.keyring.provider.unwrapDataKey(new Uint8Array(Buffer.from(active.wrapped_key, 'base64')), { dataKeyId: active.id })
  try {
    return plaintext.length === 32
  } finally {
    plaintext.fill(0)
  }
}
