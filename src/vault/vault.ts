/**
 * The public `Vault`: what `openVault` returns, service by service. It is the only door to the
 * keys: the CLI, the HTTP service and embedding bots use these services and nothing underneath
 * (no store, keyring or sealer is reachable from here).
 */
import type { DoctorOptions, DoctorReport } from './doctor.ts'
import type { AuditVerification } from '../store/audit/verify.ts'
import type { BackupSplit, SplitInput } from './backup/splitBackup.ts'
import type { ChainServices } from './chain/chainServices.ts'
import type { ActionOptions } from './context.ts'
import type { HealthMonitor, HealthMonitorOptions } from './health/healthMonitor.ts'
import type { IdempotencyService } from './idempotency/idempotencyService.ts'
import type { KeyService } from './keyManagement/keyService.ts'
import type { LegacyImportInput } from './legacyImport/legacyImportService.ts'
import type { LegacyImportReport } from './legacyImport/importLegacyDatabase.ts'
import type { DerivedKeyServices } from './pairs/derivedKeyServices.ts'
import type { PolymarketServices } from './polymarket/polymarketServices.ts'
import type { SigningService } from './signing/signingService.ts'
import type { TokenService } from './tokens/tokenService.ts'
import type { UserService } from './users/userService.ts'
import type { UserBackupService } from './userBackup/userBackupService.ts'
import type { GuardianService } from './guardians/guardianService.ts'
import type { RecoveryService } from './accountRecovery/recoveryService.ts'
import type { SafeService } from './safe/safeService.ts'
import type { PolicyService } from './policies/policyService.ts'

/** What an operator (`coffre init`, `coffre serve`) is told about an opened vault. No secret. */
export type VaultInfo = {
  /** The SQLite file or the PostgreSQL URL without credentials. */
  readonly database: string
  readonly keyProvider: string
  readonly rootKeyRef: string
  /** '' when the vault holds secrets but has no active data key (writes refuse until `keys rotate-data`). */
  readonly activeDataKeyId: string
  /** Encryptions per data key before it is rotated. */
  readonly nonceBudget: number
}

export interface Vault {
  /** Create (idempotent per telegram id), find, list, import and export users. */
  readonly users: UserService
  /** Messages, EIP-712, EVM and Solana transactions, each key use audited. */
  readonly sign: SigningService
  /** Data keys, rotation progress, data-key and root-key rotation. */
  readonly keys: KeyService
  /** API tokens of the HTTP service. */
  readonly tokens: TokenService
  /** Signing policies: versioned documents, dry runs, and the decision for a principal. */
  readonly policies: PolicyService
  /** Keys derived from a user's identity key (seed 004). */
  readonly derive: DerivedKeyServices['derive']
  /** Persisted pairs of public keys (seed 004). */
  readonly pairs: DerivedKeyServices['pairs']
  /** Polymarket CLOB credentials and orders. */
  readonly polymarket: PolymarketServices
  /** Per-user Shamir backups of the wallet entropy (vault, object storage, user), restore checked against the stored addresses. */
  readonly userBackups: UserBackupService
  /** A user's guardians (a seed-004 pair of secp256k1 keys, t < n), holding ECIES-sealed shares of the entropy. */
  readonly guardians: GuardianService
  /** Account recovery: t guardians approve moving the wallets to a new telegram id; waiting period; owner cancel. */
  readonly recovery: RecoveryService
  /** Safe v1.4.1 multisigs with the user's EOA as an owner: predicted address, SafeTx signed through sign.typedData, execTransaction built. */
  readonly safe: SafeService
  /** On chain: balances, deposits, onboarding stage, webhook events, withdrawals. */
  readonly chain: ChainServices
  readonly audit: { verify(): Promise<AuditVerification> }
  /** Shamir shares of the root key (or of a recovery key, two-phase). Restore: `restoreRootKey`. */
  readonly backup: { split(input: SplitInput, options?: ActionOptions): Promise<BackupSplit> }
  /** Import of a seed-system (legacy) database. */
  readonly legacy: { import(input: LegacyImportInput): Promise<LegacyImportReport> }
  /** The health monitor behind /healthz, /readyz, /metrics and the dashboard (one per service instance). */
  readonly health: { startMonitor(options?: HealthMonitorOptions): Promise<HealthMonitor> }
  /** Idempotency-Key records of the HTTP service. */
  readonly idempotency: IdempotencyService
  info(): VaultInfo
  doctor(options?: DoctorOptions): Promise<DoctorReport>
  /** Stops background work, wipes unwrapped data keys, closes the provider and the store. */
  close(): Promise<void>
}
export type { ActionOptions } from './context.ts'
