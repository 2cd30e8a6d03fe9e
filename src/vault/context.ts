/** What every vault service receives: the opened store, keyring, audit writer, logger and hooks. */
import type { Logger } from 'pino'
import type { VaultConfig } from '../config.ts'
import type { Keyring } from '../crypto/keyring.ts'
import type { AuditGroupWriter } from '../store/audit/groupWriter.ts'
import type { Store } from '../store/openStore.ts'
import type { UserRowCache } from './users/userRowCache.ts'

/** Optional counters for metrics (prom-client in the service); never given secret values. */
export type VaultObserver = {
  decrypted?(field: string): void
  signed?(kind: string): void
  audited?(action: string, count: number): void
  encrypted?(dataKeyId: string, count: number): void
  /** Secrets re-encrypted off `dataKeyId` by a committed rotation batch. */
  rotated?(dataKeyId: string, count: number): void
}

export type VaultContext = {
  readonly config: VaultConfig
  readonly store: Store
  readonly keyring: Keyring
  readonly audit: AuditGroupWriter
  readonly logger: Logger
  readonly observer: VaultObserver
  /** Ciphertext rows of recently used users (never decrypted keys). */
  readonly rowCache: UserRowCache
}

/** Who performs an action, for the audit trail. */
export type ActionOptions = { readonly actor?: string }
export const DEFAULT_ACTOR = 'library'
