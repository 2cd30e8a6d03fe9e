/**
 * Where a user backup's shares go, and the input that says how the user's share is sealed.
 * Default placement (issue 14): share 1 sealed in the vault, share 2 in object storage (write-once,
 * object-locked where the bucket allows), share 3 sealed to the user and returned once.
 */
import { CoffreError, invalidInput } from '../../errors.ts'
import { parseX25519PublicKey } from '../../crypto/hpke.ts'
import type { S3ShareStore } from '../../store/s3ShareStore.ts'

export const VAULT_SHARE_INDEX = 1
export const OBJECT_SHARE_INDEX = 2
export const USER_SHARE_INDEX = 3
export const PLACED_SHARES = 3

/** The object store of share 2 and the bucket it writes to (built at the edge from config). */
export type BackupObjectStore = { readonly bucket: string; readonly store: S3ShareStore }
/** Opens the object store on first use (so a vault without backups never loads the S3 client). */
export type BackupObjectStoreSource = () => Promise<BackupObjectStore>

/** How share 3 is sealed: HPKE to the bot's X25519 key (base64), or a passphrase (scrypt). */
export type UserShareSealing = { readonly recipientPublicKey: string } | { readonly passphrase: string }

export type ParsedUserShareSealing = { readonly kind: 'hpke'; readonly recipient: Uint8Array } | { readonly kind: 'passphrase'; readonly passphrase: string }

export function parseUserShareSealing(input: unknown): ParsedUserShareSealing {
  if (input === null || typeof input !== 'object') throw invalidInput('userShare must be { recipientPublicKey } or { passphrase }', { field: 'userShare' })
  const hasKey = 'recipientPublicKey' in input && (input as { recipientPublicKey?: unknown }).recipientPublicKey !== undefined
  const hasPassphrase = 'passphrase' in input && (input as { passphrase?: unknown }).passphrase !== undefined
  if (hasKey === hasPassphrase) throw invalidInput('userShare needs exactly one of recipientPublicKey or passphrase', { field: 'userShare' })
  if (hasKey) return { kind: 'hpke', recipient: parseX25519PublicKey((input as { recipientPublicKey: unknown }).recipientPublicKey, 'userShare.recipientPublicKey') }
  const passphrase = (input as { passphrase: unknown }).passphrase
  if (typeof passphrase !== 'string') throw invalidInput('userShare.passphrase must be a string', { field: 'userShare.passphrase' })
  return { kind: 'passphrase', passphrase }
}

/** 2-of-3 by default; the three places take three shares, so the threshold is 2 or 3. */
export function parseBackupThreshold(threshold: unknown, shares: unknown): number {
  if (shares !== undefined && shares !== PLACED_SHARES) throw invalidInput(`shares must be ${PLACED_SHARES} (vault, object storage, user)`, { field: 'shares' })
  if (threshold === undefined) return 2
  if (threshold !== 2 && threshold !== 3) throw invalidInput('threshold must be 2 or 3', { field: 'threshold' })
  return threshold
}

export async function requireObjectStore(source: BackupObjectStoreSource | undefined): Promise<BackupObjectStore> {
  if (source === undefined) throw new CoffreError('COFFRE_INVALID_CONFIG', 'user backups need object storage for share 2: --backup-s3-bucket (COFFRE_BACKUP_S3_BUCKET)')
  return source()
}
