/**
 * What each authenticated row's MAC covers: ONE function per table, naming its fields. A field
 * another issue adds to a table (a token's policy or namespace, a user's namespace) is added here,
 * and `rowMac.ts`'s version tag moves on only if the encoding itself changes.
 *
 * Left out on purpose: counters and timestamps that change on every use (a data key's encryption
 * count), ciphertexts (each is already bound to its row's identity by its AEAD associated data, and
 * data-key rotation rewrites them), and recovery wraps (a forged wrap opens nothing).
 */
import type { Selectable } from 'kysely'
import type { AuthenticatedTable } from '../../store/rowMacs.ts'
import type { ApiTokensTable, ClobCredentialsTable, DataKeysTable, DerivedPublicKeysTable, PairPublicKeysTable, PairsTable, UsersTable, WalletsTable } from '../../store/schema.ts'

export type MacedTable = AuthenticatedTable

type Row<T> = Omit<Selectable<T>, 'row_mac'>

/** A token: its hash, scopes, name, creation and revocation (expiry, policy and namespace join here when they exist). */
export function apiTokenMacFields(row: Pick<Row<ApiTokensTable>, 'id' | 'name' | 'token_hash' | 'scopes' | 'created_at' | 'revoked_at' | 'expires_at' | 'policy' | 'namespace'>) {
  return {
    id: row.id,
    name: row.name,
    tokenHash: row.token_hash,
    scopes: row.scopes,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    expiresAt: row.expires_at ?? null,
    policy: row.policy ?? null,
    namespace: row.namespace ?? null,
  }
}

/** A user's identity binding: id ↔ telegram id ↔ identity public key. */
export function userMacFields(row: Pick<Row<UsersTable>, 'id' | 'telegram_user_id' | 'identity_public_key' | 'origin' | 'created_at'>) {
  return { id: row.id, telegramUserId: Number(row.telegram_user_id), identityPublicKey: row.identity_public_key, origin: row.origin, createdAt: row.created_at }
}

/** A wallet: whose it is, on which chain, at which address and path. */
export function walletMacFields(row: Pick<Row<WalletsTable>, 'user_id' | 'chain' | 'address' | 'derivation_path'>) {
  return { userId: row.user_id, chain: row.chain, address: row.address, derivationPath: row.derivation_path }
}

/** A data key: id, state and wrap (an un-retired or swapped key does not authenticate). */
export function dataKeyMacFields(row: Pick<Row<DataKeysTable>, 'id' | 'state' | 'wrapped_key' | 'provider_kind' | 'provider_key_ref' | 'created_at'>) {
  return { id: row.id, state: row.state, wrappedKey: row.wrapped_key, providerKind: row.provider_kind, providerKeyRef: row.provider_key_ref, createdAt: row.created_at }
}

/** derived(idx) of a user's identity key. */
export function derivedPublicKeyMacFields(row: Row<DerivedPublicKeysTable>) {
  return { userId: row.user_id, idx: Number(row.idx), publicKey: row.public_key }
}

/** A pair: which identity (local pair) or main key (remote pair) it is, and how many derived keys it owns. */
export function pairMacFields(row: Pick<Row<PairsTable>, 'uuid' | 'label' | 'user_id' | 'public_key' | 'derived_count' | 'created_at'>) {
  return { uuid: row.uuid, label: row.label, userId: row.user_id, publicKey: row.public_key, derivedCount: Number(row.derived_count), createdAt: row.created_at }
}

/** One extra key of a pair, at its position. */
export function pairPublicKeyMacFields(row: Pick<Row<PairPublicKeysTable>, 'pair_uuid' | 'public_key' | 'position' | 'created_at'>) {
  return { pairUuid: row.pair_uuid, publicKey: row.public_key, position: Number(row.position), createdAt: row.created_at }
}

/** A Polymarket API key: whose, for which address and CLOB, of which kind, and whether it is live. */
export function clobCredentialMacFields(row: Pick<Row<ClobCredentialsTable>, 'id' | 'user_id' | 'address' | 'kind' | 'api_key' | 'state' | 'chain_id' | 'base_url' | 'nonce' | 'created_at'>) {
  return {
    id: row.id, userId: row.user_id, address: row.address, kind: row.kind, apiKey: row.api_key, state: row.state,
    chainId: Number(row.chain_id), baseUrl: row.base_url, nonce: Number(row.nonce), createdAt: row.created_at,
  }
}

/** How `doctor` and errors name a row: its table and primary key. */
export function rowName(table: MacedTable, row: Record<string, unknown>): string {
  switch (table) {
    case 'wallets':
      return `wallets:${String(row.user_id)}/${String(row.chain)}`
    case 'derived_public_keys':
      return `derived_public_keys:${String(row.user_id)}/${String(row.idx)}`
    case 'pairs':
      return `pairs:${String(row.uuid)}`
    case 'pair_public_keys':
      return `pair_public_keys:${String(row.pair_uuid)}/${String(row.public_key)}`
    default:
      return `${table}:${String(row.id)}`
  }
}
