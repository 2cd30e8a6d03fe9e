/**
 * Readiness: the database answers and the root key still unwraps the active data key through its
 * provider (a live check of the file, HSM or KMS, not the keyring's cache).
 */
import { sql } from 'kysely'
import { findActiveDataKey } from '../store/dataKeys.ts'
import type { Vault } from '../vault/openVault.ts'

export type Readiness = { readonly ready: boolean; readonly database: boolean; readonly rootKey: boolean }

export async function checkReadiness(vault: Vault): Promise<Readiness> {
  const { store, keyring } = vault.context
  const database = await sql`select 1`.execute(store.db).then(() => true, () => false)
  let rootKey = false
  if (database) {
    try {
      const active = await findActiveDataKey(store.db)
      if (active !== undefined) {
        const plaintext = await keyring.provider.unwrapDataKey(new Uint8Array(Buffer.from(active.wrapped_key, 'base64')), { dataKeyId: active.id })
        rootKey = plaintext.length === 32
        plaintext.fill(0)
      }
    } catch {
      rootKey = false
    }
  }
  return { ready: database && rootKey, database, rootKey }
}
