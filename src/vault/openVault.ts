/**
 * `openVault(config)`: opens the store (migrating it), the root-key provider and the keyring, and
 * returns the application services (`Vault`, vault.ts). A missing or wrong root key refuses to open.
 */
import pino, { type Logger } from 'pino'
import type { VaultConfig } from '../config.ts'
import { Keyring } from './keyring/keyring.ts'
import { openKeyProvider } from '../keyProviders/openKeyProvider.ts'
import type { KeyProvider } from '../keyProviders/keyProvider.ts'
import { AuditGroupWriter } from '../store/audit/groupWriter.ts'
import { verifyAuditChain } from '../store/audit/verify.ts'
import { createDataKeyStore } from '../store/dataKeyStore.ts'
import { authenticatedDataKeyStore } from './integrity/authenticatedDataKeyStore.ts'
import { INTEGRITY_ACTOR, openRowIntegrity } from './integrity/openRowIntegrity.ts'
import type { RowIntegrity } from './integrity/rowIntegrity.ts'
import { openStore } from '../store/openStore.ts'
import { splitBackup } from './backup/splitBackup.ts'
import type { VaultContext, VaultObserver } from './context.ts'
import { runDoctor } from './doctor.ts'
import { startHealthMonitor } from './health/healthMonitor.ts'
import { createIdempotencyService } from './idempotency/idempotencyService.ts'
import { attachContext } from './internals.ts'
import { createKeyService } from './keyManagement/keyService.ts'
import { importLegacy } from './legacyImport/legacyImportService.ts'
import { createDerivedKeyServices } from './pairs/derivedKeyServices.ts'
import type { PolymarketOptions } from './polymarket/options.ts'
import { createPolymarketServices } from './polymarket/polymarketServices.ts'
import { createChainServices } from './chain/chainServices.ts'
import type { ChainTuning } from './chain/chainSenders.ts'
import { createSigningService } from './signing/signingService.ts'
import { createTokenService } from './tokens/tokenService.ts'
import { createPolicyService } from './policies/policyService.ts'
import { createUsers } from './users/userService.ts'
import { UserRowCache } from './users/userRowCache.ts'
import type { Vault } from './vault.ts'
import type { BackupObjectStoreSource } from './userBackup/backupPlacement.ts'
import { backupObjectStoreFrom } from './userBackup/openBackupObjectStore.ts'
import { createUserBackupService } from './userBackup/userBackupService.ts'
import { createGuardianService } from './guardians/guardianService.ts'
import { createRecoveryService, type RecoveryOptions } from './accountRecovery/recoveryService.ts'
import { createSafeService } from './safe/safeService.ts'

export type OpenVaultOptions = {
  readonly logger?: Logger
  readonly observer?: VaultObserver
  /** An already-open provider (tests, rotation); otherwise opened from `config.rootKey`. */
  readonly keyProvider?: KeyProvider
  /** The Polymarket CLOB this vault trades on (default: production, Polygon). */
  readonly polymarket?: PolymarketOptions
  /** Object storage for share 2 of user backups (tests); otherwise built from `config.backupStorage`. */
  readonly backupObjectStore?: BackupObjectStoreSource
  /** Account recovery: the waiting period (default `config.recoveryWaitingSeconds`, else 48 h) and an injected clock (tests). */
  readonly recovery?: RecoveryOptions
  /** Timing of the chain outboxes (tests shorten the polls). */
  readonly chainTuning?: ChainTuning
}

export async function openVault(config: VaultConfig, options: OpenVaultOptions = {}): Promise<Vault> {
  const logger = options.logger ?? pino({ level: 'silent' })
  const store = await openStore(config.store)
  let provider: KeyProvider | undefined
  let integrity: RowIntegrity | undefined
  let keyring: Keyring
  try {
    provider = options.keyProvider ?? (await openKeyProvider(config.rootKey))
    integrity = await openRowIntegrity(store, provider)
    keyring = await Keyring.open(authenticatedDataKeyStore(createDataKeyStore(store.db), integrity), provider, config.nonceBudget === undefined ? {} : { nonceBudget: config.nonceBudget })
  } catch (error) {
    integrity?.close()
    await provider?.close()
    await store.close()
    throw error
  }
  const audit = new AuditGroupWriter(store.db, store.dialect)
  integrity.onFailure(({ table, row }) => {
    logger.warn({ integrity: 'failed', table, row }, 'row does not authenticate')
    audit.append({ action: 'integrity.failed', actor: INTEGRITY_ACTOR, subject: row, details: { table } }).catch(() => undefined)
  })
  const ctx: VaultContext = { config, store, keyring, integrity, audit, logger, observer: options.observer ?? {}, rowCache: new UserRowCache() }
  const users = createUsers(ctx)
  const keys = createKeyService(ctx)
  const polymarket = createPolymarketServices(ctx, options.polymarket)
  const { close: closeChain, ...chain } = createChainServices(ctx, options.chainTuning)
  const { close: closeUsers, ...userService } = users
  const configuredObjects = options.backupObjectStore === undefined && config.backupStorage !== undefined ? backupObjectStoreFrom(config.backupStorage) : undefined
  const backupObjects = options.backupObjectStore ?? configuredObjects?.source
  const derived = createDerivedKeyServices(ctx)
  const sign = createSigningService(ctx)
  const waitingPeriodSeconds = options.recovery?.waitingPeriodSeconds ?? config.recoveryWaitingSeconds
  const recovery = createRecoveryService(ctx, { ...options.recovery, ...(waitingPeriodSeconds === undefined ? {} : { waitingPeriodSeconds }) })
  let closed = false

  const vault: Vault = {
    users: userService,
    sign,
    keys,
    tokens: createTokenService(ctx),
    policies: createPolicyService(ctx),
    /** `derive` (identity-derived keys, indexed) and `pairs` (persisted pairs), sharing one index. */
    ...derived,
    polymarket,
    userBackups: createUserBackupService(ctx, backupObjects),
    guardians: createGuardianService(ctx, derived.pairs),
    recovery,
    safe: createSafeService(ctx, sign),
    chain,
    audit: { verify: () => verifyAuditChain(store.db) },
    backup: { split: (input, actionOptions) => splitBackup(ctx, input, actionOptions) },
    legacy: { import: (input) => importLegacy(ctx, input) },
    health: { startMonitor: (monitorOptions) => startHealthMonitor(ctx, monitorOptions) },
    idempotency: createIdempotencyService(store),
    info: () => ({ database: store.location, keyProvider: keyring.provider.info.kind, rootKeyRef: keyring.provider.info.keyRef, activeDataKeyId: keyring.activeDataKeyId, nonceBudget: keyring.nonceBudget }),
    doctor: (doctorOptions) => runDoctor(ctx, doctorOptions),
    async close(): Promise<void> {
      if (closed) return
      closed = true
      await closeChain()
      await polymarket.close()
      await keys.stopBackground()
      await ctx.audit.drain()
      await keyring.close()
      integrity.close()
      await provider?.close()
      await store.close()
      await closeUsers()
      configuredObjects?.close()
    },
  }
  return attachContext(vault, ctx)
}

export type { Vault } from './vault.ts'
