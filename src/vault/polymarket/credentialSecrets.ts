/**
 * Sealing and opening a stored API secret and passphrase. Opening is a key use: its audit entry
 * is group-committed (ctx.audit) and durable before the plaintext is handed out (fail-closed).
 * The protocol layer takes credentials as strings, so the plaintext lives only for one request.
 */
import type { SecretSealer } from '../keyring/secretSealer.ts'
import { CoffreError } from '../../errors.ts'
import type { L2Auth } from '../../polymarket/clobClient.ts'
import type { SecretPlace } from '../../crypto/secretField.ts'
import type { ClobCredentialRow } from '../../store/polymarketCredentials.ts'
import { secretPlace } from '../../store/secretColumns.ts'
import { DEFAULT_ACTOR, type VaultContext } from '../context.ts'
import { decryptSecret } from '../keys/decryptSecret.ts'

type RowIdentity = { readonly id: string; readonly user_id: string; readonly api_key: string }

export const credentialPlaces = (row: RowIdentity): { secret: SecretPlace; passphrase: SecretPlace } => ({
  secret: secretPlace('clob_credentials', 'secret_ciphertext', row),
  passphrase: secretPlace('clob_credentials', 'passphrase_ciphertext', row),
})

/** Seals secret and passphrase (bytes or text) for the row; wipes the byte copies it made. */
export function sealCredentialSecrets(sealer: SecretSealer, row: RowIdentity, secret: Uint8Array | string, passphrase: Uint8Array | string) {
  const places = credentialPlaces(row)
  const bytes = (value: Uint8Array | string) => (typeof value === 'string' ? new TextEncoder().encode(value) : value)
  const s = bytes(secret)
  const p = bytes(passphrase)
  try {
    return { secret_ciphertext: sealer.seal(s, places.secret), passphrase_ciphertext: sealer.seal(p, places.passphrase) }
  } finally {
    if (typeof secret === 'string') s.fill(0)
    if (typeof passphrase === 'string') p.fill(0)
  }
}

export type CredentialUse = { readonly purpose: string; readonly actor?: string }

/** Decrypts a trading key's secret and passphrase for L2 headers, after its audit row is durable. */
export async function openCredentials(ctx: VaultContext, row: ClobCredentialRow, use: CredentialUse): Promise<L2Auth> {
  if (row.secret_ciphertext === null || row.passphrase_ciphertext === null) {
    throw new CoffreError('COFFRE_UNSUPPORTED', 'a read-only API key cannot authenticate requests')
  }
  const places = credentialPlaces(row)
  const entry = { action: 'polymarket.credentials.use', actor: use.actor ?? DEFAULT_ACTOR, userId: row.user_id, subject: `polymarket:${row.api_key}`, details: { purpose: use.purpose } }
  const open = (value: string, place: SecretPlace) => decryptSecret(ctx, value, place, { purpose: use.purpose, userId: row.user_id, actor: use.actor ?? DEFAULT_ACTOR })
  const opened = await Promise.allSettled([open(row.secret_ciphertext, places.secret), open(row.passphrase_ciphertext, places.passphrase)])
  const failed = opened.find((o) => o.status === 'rejected')
  if (failed !== undefined) {
    for (const o of opened) if (o.status === 'fulfilled') o.value.fill(0)
    throw failed.reason
  }
  const [secret, passphrase] = opened.map((o) => (o as PromiseFulfilledResult<Uint8Array>).value) as [Uint8Array, Uint8Array]
  ctx.observer.decrypted?.('polymarket:credentials')
  try {
    await ctx.audit.append(entry)
  } catch (error) {
    secret.fill(0)
    passphrase.fill(0)
    throw error
  }
  ctx.observer.audited?.(entry.action, 1)
  const decoder = new TextDecoder()
  const credentials = { key: row.api_key, secret: decoder.decode(secret), passphrase: decoder.decode(passphrase) }
  secret.fill(0)
  passphrase.fill(0)
  return { address: row.address, credentials }
}
