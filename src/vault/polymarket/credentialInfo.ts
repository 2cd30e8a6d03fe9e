/** What the vault says about a stored API key: never its secret or passphrase. */
import type { ClobCredentialRow } from '../../store/polymarketCredentials.ts'

export type CredentialInfo = {
  readonly apiKey: string
  readonly kind: 'trading' | 'readonly'
  readonly state: 'active' | 'revoked'
  readonly address: string
  readonly nonce: number
  readonly chainId: number
  readonly baseUrl: string
  readonly createdAt: string
  readonly rotatedAt: string | null
  readonly revokedAt: string | null
}

export const toCredentialInfo = (row: ClobCredentialRow): CredentialInfo => ({
  apiKey: row.api_key,
  kind: row.kind,
  state: row.state,
  address: row.address,
  nonce: Number(row.nonce),
  chainId: Number(row.chain_id),
  baseUrl: row.base_url,
  createdAt: row.created_at,
  rotatedAt: row.rotated_at,
  revokedAt: row.revoked_at,
})
