/**
 * Kysely table types shared by both dialects. Timestamps are ISO-8601 UTC strings. (One file over
 * 200 lines on purpose: Kysely's `Database` interface names every table, and the column types sit
 * next to it so a migration and its types are read together.)
 */
import type { ColumnType, Generated } from 'kysely'

export type DataKeyState = 'active' | 'decrypt-only' | 'retired'

export interface DataKeysTable {
  id: string
  state: DataKeyState
  /** base64 of the provider's wrapped form. */
  wrapped_key: string
  provider_kind: string
  provider_key_ref: string
  /** Committed AES-GCM encryptions under this key (the random-nonce budget). */
  encryption_count: Generated<number>
  created_at: string
  state_changed_at: string
  /** base64 of the data key wrapped by the recovery key (coffre_meta 'recovery_key_ref'), if any. */
  recovery_wrapped_key: ColumnType<string | null, string | null | undefined, string | null>
  /** base64 of the data key wrapped by a recovery key whose split has not been confirmed yet ('recovery_key_ref_pending'). */
  pending_recovery_wrapped_key: ColumnType<string | null, string | null | undefined, string | null>
}

export interface UsersTable {
  id: string
  telegram_user_id: number
  username: string | null
  /** `generated`, `imported` or `legacy`. */
  origin: string
  /** Encrypted BIP-39 entropy; null for users imported from a bare key. */
  mnemonic_ciphertext: string | null
  identity_public_key: string
  identity_private_key_ciphertext: string
  created_at: string
}

export interface WalletsTable {
  user_id: string
  chain: 'polygon' | 'solana'
  address: string
  private_key_ciphertext: string
  derivation_path: string | null
  created_at: string
}

export interface AuditLogTable {
  seq: number
  at: string
  action: string
  actor: string
  user_id: string | null
  subject: string | null
  /** JSON object of non-secret facts. */
  details: string
  prev_hash: string
  hash: string
}

/** One row: the chain's head, locked by every append so the chain has a total order. */
export interface AuditHeadTable {
  id: number
  seq: number
  hash: string
}

export interface MetaTable {
  key: string
  value: string
}

export interface Database {
  coffre_meta: MetaTable
  data_keys: DataKeysTable
  users: UsersTable
  wallets: WalletsTable
  audit_log: AuditLogTable
  audit_head: AuditHeadTable
  api_tokens: ApiTokensTable
  idempotency_keys: IdempotencyKeysTable
  pairs: PairsTable
  pair_public_keys: PairPublicKeysTable
  derived_public_keys: DerivedPublicKeysTable
  rotation_progress: RotationProgressTable
  scheduler_runs: SchedulerRunsTable
  scheduler_leases: SchedulerLeasesTable
  legacy_import_quarantine: LegacyImportQuarantineTable
  legacy_api_credentials: LegacyApiCredentialsTable
  clob_credentials: ClobCredentialsTable
  order_outbox: OrderOutboxTable
}

/** API bearer tokens for `coffre serve`; only the SHA-256 of a token is stored. */
export interface ApiTokensTable {
  id: string
  name: string
  token_hash: string
  /** JSON array of scope names. */
  scopes: string
  created_at: string
  revoked_at: string | null
  /** ISO instant after which the token is refused; NULL for tokens made before expiries existed. */
  expires_at: string | null
  /** The policy name the token signs under; NULL: made before policies, runs under allow-all. */
  policy: string | null
  /** The namespace the token is confined to; NULL: global. */
  namespace: string | null
}

/** Replies remembered per (token, Idempotency-Key) for 24 hours. */
export interface IdempotencyKeysTable {
  token_id: string
  key: string
  request_hash: string
  state: 'pending' | 'done'
  status_code: number | null
  response_body: string | null
  created_at: string
  locked_until: string
}

/** Data-key rotation: per drained data key, secrets referencing it at the start and rewritten since. */
export interface RotationProgressTable {
  data_key_id: string
  total_rows: number
  done_rows: Generated<number>
  started_at: string
  updated_at: string
  finished_at: string | null
}

export interface SchedulerRunsTable {
  id: string
  job: string
  instance: string
  started_at: string
  finished_at: string
  /** 1 = ok, 0 = failed. */
  ok: number
  detail: string
}

export interface SchedulerLeasesTable {
  name: string
  holder: string
  expires_at: string
}

/** Legacy rows or fields that were not imported, with why (never the value). */
export interface LegacyImportQuarantineTable {
  source: string
  telegram_user_id: number
  field: string
  reason: string
  at: string
}

/** Polymarket API credentials carried over from a legacy database, encrypted. */
export interface LegacyApiCredentialsTable {
  user_id: string
  api_key: string
  secret_ciphertext: string
  passphrase_ciphertext: string
  created_at: string
}

/** A pair (seed 004): the local pair of a user's identity (`user_id` set) or a remote device/peer. */
export interface PairsTable {
  uuid: string
  label: string | null
  user_id: string | null
  /** Main public key, compressed hex; for a local pair the identity public key. */
  public_key: string | null
  /** Local pair: its keys are main + derived(0 … derived_count − 1). */
  derived_count: Generated<number>
  created_at: string
  updated_at: string
}

/** A pair's extra public keys, unique per pair, in the order added. */
export interface PairPublicKeysTable {
  pair_uuid: string
  public_key: string
  position: number
  created_at: string
}

/** derived(idx) of a user's identity key, compressed hex; rows 0 … max(idx) are contiguous. */
export interface DerivedPublicKeysTable {
  user_id: string
  idx: number
  public_key: string
}

/** Polymarket CLOB API credentials of a user; secret and passphrase encrypted (null for read-only keys). */
export interface ClobCredentialsTable {
  id: string
  user_id: string
  address: string
  kind: 'trading' | 'readonly'
  /** The API key id (not secret: it travels in every L2 request and as an order's owner). */
  api_key: string
  secret_ciphertext: string | null
  passphrase_ciphertext: string | null
  /** The L1 nonce the key was created or derived with. */
  nonce: Generated<number>
  state: 'active' | 'revoked'
  chain_id: number
  /** The CLOB this key belongs to (its identity: a key of one CLOB means nothing to another). */
  base_url: string
  created_at: string
  /** When a rotation replaced this key. */
  rotated_at: string | null
  revoked_at: string | null
}

/** The durable order outbox (src/polymarket/orderOutbox.ts); times in unix milliseconds. */
export interface OrderOutboxTable {
  order_hash: string
  user_id: string
  body: string
  status: 'pending' | 'sent' | 'failed'
  attempts: Generated<number>
  next_attempt_at: number
  last_error: string | null
  response: string | null
  created_at: number
  updated_at: number
}

// ─── On chain (issue 13, migration 007_chain) ──────────────────────────────────────────────────
// Declared as a second `Database` block (interface merging) so this part stays separate.

export interface Database {
  chain_evm_checkpoints: ChainEvmCheckpointsTable
  chain_solana_checkpoints: ChainSolanaCheckpointsTable
  chain_deposits: ChainDepositsTable
  chain_nonces: ChainNoncesTable
  evm_transactions: EvmTransactionsTable
  evm_transaction_attempts: EvmTransactionAttemptsTable
  solana_transactions: SolanaTransactionsTable
  webhook_events: WebhookEventsTable
  webhook_deliveries: WebhookDeliveriesTable
}

/** Where an EVM deposit scanner stands; `version` makes each save a compare-and-set. */
export interface ChainEvmCheckpointsTable {
  scanner: string
  chain_id: number
  next_block: number
  /** JSON [[number, hash], …], ascending. */
  recent_blocks: string
  version: number
  updated_at: string
}

/** Per Solana account (wallet or token account) scanned for deposits. */
export interface ChainSolanaCheckpointsTable {
  account: string
  owner: string
  last_signature: string | null
  /** Decimal balance when last read; null = unknown. */
  balance: string | null
  updated_at: string
}

/** One incoming transfer; `state` follows reorgs (confirmed ↔ reverted). */
export interface ChainDepositsTable {
  id: string
  /** `polygon:<chainId>` or `solana`. */
  chain: string
  /** Transaction hash (EVM) or signature (Solana). */
  tx_ref: string
  /** Log index of an ERC-20 transfer; −1 for native transfers and Solana. */
  position: number
  /** `native`, a token contract, `SOL` or an SPL mint. */
  asset: string
  from_address: string | null
  to_address: string
  amount: string
  /** Block number (EVM) or slot (Solana). */
  block_number: number
  block_hash: string | null
  state: 'confirmed' | 'reverted'
  created_at: string
  updated_at: string
}

/** The next nonce to hand out per (chain, sender address). */
export interface ChainNoncesTable {
  chain_id: number
  address: string
  next_nonce: number
  updated_at: string
}

export type EvmTransactionState = 'prepared' | 'signed' | 'sent' | 'mined' | 'confirmed' | 'reverted' | 'failed'

/** The durable EVM transaction outbox: one row per request id, one nonce per row. */
export interface EvmTransactionsTable {
  id: string
  chain_id: number
  from_address: string
  nonce: number
  to_address: string | null
  value: string
  data: string
  gas: string
  /** Fees of the current attempt. */
  max_fee_per_gas: string
  max_priority_fee_per_gas: string
  /** SHA-256 of (chain, from, to, value, data): the same id with another intent is refused. */
  intent_hash: string
  /** The current attempt, signed (0x hex), and its hash. */
  raw: string | null
  tx_hash: string | null
  state: EvmTransactionState
  attempts: Generated<number>
  next_attempt_at: number
  /** When the current attempt was first broadcast (unix ms). */
  sent_at: number | null
  block_number: number | null
  block_hash: string | null
  /** Hash of the attempt that was mined. */
  mined_hash: string | null
  last_error: string | null
  created_at: number
  updated_at: number
}

/** Every signed version of an outbox transaction (replacements share its nonce). */
export interface EvmTransactionAttemptsTable {
  tx_hash: string
  transaction_id: string
  raw: string
  max_fee_per_gas: string
  max_priority_fee_per_gas: string
  created_at: number
}

export type SolanaTransactionState = 'pending' | 'sent' | 'confirmed' | 'failed'

/** The durable Solana transaction outbox: one row per request id; rebuilt only after expiry. */
export interface SolanaTransactionsTable {
  id: string
  from_address: string
  /** JSON of what to send (e.g. a SOL or SPL transfer). */
  intent: string
  intent_hash: string
  signature: string | null
  /** base64 signed wire transaction of the current attempt. */
  wire: string | null
  last_valid_block_height: number | null
  state: SolanaTransactionState
  attempts: Generated<number>
  rebuilds: Generated<number>
  next_attempt_at: number
  slot: number | null
  last_error: string | null
  created_at: number
  updated_at: number
}

/** An event for the bot; `id` is the stable event id every delivery carries. */
export interface WebhookEventsTable {
  id: string
  type: string
  /** JSON body `data`. */
  payload: string
  created_at: string
}

export type WebhookDeliveryState = 'pending' | 'delivered' | 'dead'

/** One event to one endpoint: retried with backoff, dead after the attempt limit. */
export interface WebhookDeliveriesTable {
  event_id: string
  endpoint: string
  state: WebhookDeliveryState
  attempts: Generated<number>
  next_attempt_at: number
  last_status: number | null
  last_error: string | null
  delivered_at: number | null
  created_at: number
  updated_at: number
}

// ─── User recovery (issue 14, migration 012_user_recovery) ─────────────────────────────────────

export interface Database {
  user_backups: UserBackupsTable
}

/** One Shamir backup of a user's entropy and where its shares went (no share in the clear). */
export interface UserBackupsTable {
  /** The backup id (a UUID), also inside every share. */
  id: string
  user_id: string
  threshold: number
  share_count: number
  vault_share_index: number
  /** The vault's share, sealed (secretColumns.ts: bound to id and user_id). */
  vault_share_ciphertext: string
  object_share_index: number
  object_bucket: string
  object_key: string
  object_version_id: string | null
  object_locked_until: string | null
  /** base64 SHA-256 of the stored share object. */
  object_sha256: string
  user_share_index: number
  /** coffre-share-hpke-v1 or coffre-share-scrypt-v1. */
  user_share_format: string
  created_at: string
}

export interface Database {
  user_guardian_sets: UserGuardianSetsTable
  recovery_requests: RecoveryRequestsTable
}

/** A user's guardians (one active set per user); `id` is `<pairUuid>#<version>`. */
export interface UserGuardianSetsTable {
  id: string
  user_id: string
  pair_uuid: string
  version: number
  threshold: number
  /** JSON array of compressed secp256k1 public keys, one per guardian. */
  guardian_keys: string
  /** Backup id of the guardian shares (purpose guardians). */
  backup_id: string
  /** JSON array of the shares sealed to each guardian (coffre-share-ecies-secp256k1-v1). */
  sealed_shares: string
  state: 'active' | 'removed'
  created_at: string
  removed_at: string | null
}

/** An account-recovery request: move the user's wallets to a new telegram id. */
export interface RecoveryRequestsTable {
  id: string
  user_id: string
  guardian_set_id: string
  old_telegram_user_id: number
  new_telegram_user_id: number
  /** The canonical text the guardians sign (EIP-191). */
  request_text: string
  /** Unix seconds. */
  expires_at: number
  state: 'pending' | 'approved' | 'cancelled' | 'completed'
  /** JSON array of the accepted guardian signatures. */
  signatures: string
  /** JSON array of the approving guardians' ids. */
  approved_by: string
  /** Unix seconds from which the binding may move (approval + waiting period). */
  executable_at: number | null
  created_at: string
  updated_at: string
}

// ─── Integrity (issue 11, migration 009_integrity) ─────────────────────────────────────────────
// The MAC key's wraps, and each authenticated table's `row_mac` (null: written before integrity was
// enabled). Declared by interface merging so this part stays separate.

/** The MAC key (one row, id 'mac-v1'): wrapped by the root key, and by the recovery key when a split made one. */
export interface IntegrityKeysTable {
  id: string
  wrapped_key: string
  provider_kind: string
  provider_key_ref: string
  recovery_wrapped_key: ColumnType<string | null, string | null | undefined, string | null>
  pending_recovery_wrapped_key: ColumnType<string | null, string | null | undefined, string | null>
  /** HMAC of a fixed label under the MAC key: proves an unwrap gave the right key back. */
  check_value: string
  created_at: string
}

export interface Database {
  integrity_keys: IntegrityKeysTable
}
export interface UsersTable { row_mac?: string | null }
export interface WalletsTable { row_mac?: string | null }
export interface ApiTokensTable { row_mac?: string | null }
export interface DataKeysTable { row_mac?: string | null }
export interface DerivedPublicKeysTable { row_mac?: string | null }
export interface PairsTable { row_mac?: string | null }
export interface PairPublicKeysTable { row_mac?: string | null }
export interface ClobCredentialsTable { row_mac?: string | null }

// ─── Signing policies (issue 12, migration 010_policies) ───────────────────────────────────────

export interface Database {
  policies: PoliciesTable
  policy_velocity: PolicyVelocityTable
}

/** One immutable version of a named policy. */
export interface PoliciesTable {
  name: string
  version: number
  document: string
  source: string | null
  created_at: string
  created_by: string
}

/** One velocity counter: a ring of 25 bucket sums (s0..s24) and the bucket each holds (b0..b24, -1: empty). */
export interface PolicyVelocityTable {
  key: string
  [column: `s${number}` | `b${number}`]: number | string
}

// ─── On chain, wired into the vault (issue 13, migration 011_chain_runtime) ───────────────────

export interface Database {
  chain_onboarding: ChainOnboardingTable
  chain_withdrawals: ChainWithdrawalsTable
}

export type OnboardingStage = 'created' | 'funded' | 'approved' | 'ready'

/** A user's onboarding stage; no row means `created`. Stages only move forward. */
export interface ChainOnboardingTable {
  user_id: string
  stage: OnboardingStage
  funded_at: string | null
  approved_at: string | null
  ready_at: string | null
  updated_at: string
}

export type WithdrawalState = 'pending' | 'sent' | 'confirmed' | 'failed'

/** A withdrawal request; `id` is also the id of its outbox transaction (EVM or Solana). */
export interface ChainWithdrawalsTable {
  id: string
  /** Unique per request (the caller's idempotency key, scoped to it): a retry finds this row. */
  request_id: string
  /** SHA-256 of the request: the same request id with another request is refused. */
  request_hash: string
  user_id: string
  chain: 'polygon' | 'solana'
  asset: string
  amount: string
  from_address: string
  to_address: string
  state: WithdrawalState
  /** Transaction hash or signature, once signed. */
  tx_ref: string | null
  last_error: string | null
  created_at: string
  updated_at: string
}
