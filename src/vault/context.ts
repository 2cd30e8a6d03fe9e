/** What every vault service receives: the opened store, keyring, audit writer, logger and hooks. */
import type { Logger } from 'pino'
import type { VaultConfig } from '../config.ts'
import type { Keyring } from './keyring/keyring.ts'
import type { RowIntegrity } from './integrity/rowIntegrity.ts'
import type { AuditGroupWriter } from '../store/audit/groupWriter.ts'
import type { Store } from '../store/openStore.ts'
import type { VaultObserver } from './observer.ts'
import type { UserRowCache } from './users/userRowCache.ts'
import type { Principal } from './policies/principal.ts'

export type { VaultObserver } from './observer.ts'


export type VaultContext = {
  readonly config: VaultConfig
  readonly store: Store
  readonly keyring: Keyring
  /** Row MACs under the vault's MAC key (vault/integrity): every granting or identifying row is checked on read. */
  readonly integrity: RowIntegrity
  readonly audit: AuditGroupWriter
  readonly logger: Logger
  readonly observer: VaultObserver
  /** Ciphertext rows of recently used users (never decrypted keys). */
  readonly rowCache: UserRowCache
}

/**
 * Who performs an action: `actor` names it in the audit trail; `principal` (the HTTP service's
 * token) is what signing policies judge. Without a principal the built-in allow-all applies.
 */
export type ActionOptions = { readonly actor?: string; readonly principal?: Principal | undefined }
export const DEFAULT_ACTOR = 'library'
