/**
 * `openVault(config)`: opens the store (migrating it), the root-key provider and the keyring, and
 * returns the application services. A missing or wrong root key refuses to open.
 */
import pino, { type Logger } from 'pino'
import type { VaultConfig } from '../config.ts'
import { Keyring } from '../crypto/keyring.ts'
import { openKeyProvider } from '../crypto/providers/openKeyProvider.ts'
import type { KeyProvider } from '../crypto/providers/keyProvider.ts'
import { AuditGroupWriter } from '../store/audit/groupWriter.ts'
import { verifyAuditChain, type AuditVerification } from '../store/audit/verify.ts'
import { openStore, type Store } from '../store/openStore.ts'
import { countUsers } from '../store/users.ts'
import type { VaultContext, VaultObserver } from './context.ts'
import { runDoctor } from './doctor.ts'
import { createKeyService } from './keyManagement/keyService.ts'
import { createSigningService } from './signing/signingService.ts'
import { createUserService } from './users/createUser.ts'
import { exportUserWallet } from './users/exportUser.ts'
import { findUserRows, type UserRef } from './users/findUser.ts'
import { importUser } from './users/importUser.ts'
import { listUsers } from './users/listUsers.ts'
import { toUser } from './users/user.ts'
import { UserRowCache } from './users/userRowCache.ts'
import { createTokenService } from './tokens/tokenService.ts'
import { createDerivedKeyServices } from './pairs/derivedKeyServices.ts'
import type { PolymarketOptions } from './polymarket/options.ts'
import { createPolymarketServices } from './polymarket/polymarketServices.ts'

export type OpenVaultOptions = {
  readonly logger?: Logger
  readonly observer?: VaultObserver
  /** An already-open provider (tests, rotation); otherwise opened from `config.rootKey`. */
  readonly keyProvider?: KeyProvider
  /** The Polymarket CLOB this vault trades on (default: production, Polygon). */
  readonly polymarket?: PolymarketOptions
}

export async function openVault(config: VaultConfig, options: OpenVaultOptions = {}) {
  const logger = options.logger ?? pino({ level: 'silent' })
  const store = await openStore(config.store)
  let provider: KeyProvider | undefined
  let keyring: Keyring
  try {
    provider = options.keyProvider ?? (await openKeyProvider(config.rootKey))
    keyring = await Keyring.open(store.db, provider, config.nonceBudget === undefined ? {} : { nonceBudget: config.nonceBudget })
  } catch (error) {
    await provider?.close()
    await store.close()
    throw error
  }
  const ctx: VaultContext = { config, store, keyring, audit: new AuditGroupWriter(store.db, store.dialect), logger, observer: options.observer ?? {}, rowCache: new UserRowCache() }
  const creator = createUserService(ctx)
  const keys = createKeyService(ctx)
  const polymarket = createPolymarketServices(ctx, options.polymarket)
  let closed = false

  return {
    context: ctx,
    users: {
      /** Creates the user (BIP-39 wallet, Polygon + Solana, identity key) or returns the existing one. */
      create: async (...args: Parameters<typeof creator.ensure>) => (await creator.ensure(...args)).user,
      ensure: creator.ensure,
      ensureMany: creator.ensureMany,
      warmUp: creator.warmUp,
      get: async (ref: UserRef) => {
        const rows = await findUserRows(ctx, ref)
        return rows === undefined ? null : toUser(rows.user, rows.wallets)
      },
      list: (options?: Parameters<typeof listUsers>[1]) => listUsers(ctx, options),
      count: () => countUsers(store.db),
      import: (...args: Parameters<typeof importUser> extends [unknown, ...infer R] ? R : never) => importUser(ctx, ...args),
      export: (...args: Parameters<typeof exportUserWallet> extends [unknown, ...infer R] ? R : never) => exportUserWallet(ctx, ...args),
    },
    sign: createSigningService(ctx),
    keys,
    tokens: createTokenService(ctx),
    /** `derive` (identity-derived keys, indexed) and `pairs` (persisted pairs), sharing one index. */
    ...createDerivedKeyServices(ctx),
    polymarket,
    audit: { verify: (): Promise<AuditVerification> => verifyAuditChain(store.db) },
    doctor: (...args: Parameters<typeof runDoctor> extends [unknown, ...infer R] ? R : never) => runDoctor(ctx, ...args),
    async close(): Promise<void> {
      if (closed) return
      closed = true
      await polymarket.close()
      await keys.stopBackground()
      await ctx.audit.drain()
      await keyring.close()
      await provider?.close()
      await store.close()
      await creator.close()
    },
  }
}

export type Vault = Awaited<ReturnType<typeof openVault>>
export type { Store }
