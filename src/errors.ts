/**
 * One root error class with a stable machine `code` (viem's BaseError idea, Fastify's FST_ERR_* idea).
 * Messages are short and never carry secret material; `details` holds non-secret context only.
 * Every code is listed in `errorCodes` with a description — `docs/errors.md` is generated from it
 * and a test checks the two agree.
 */
export const errorCodes = {
  COFFRE_INVALID_INPUT: 'An argument or request field has the wrong type, length or format.',
  COFFRE_INVALID_CONFIG: 'The configuration is incomplete or contradictory.',
  COFFRE_NOT_FOUND: 'The user, wallet, pair or other object does not exist.',
  COFFRE_CONFLICT: 'The object already exists or the request conflicts with the current state.',
  COFFRE_ROOT_KEY_MISSING: 'No root key is configured or the key file does not exist.',
  COFFRE_ROOT_KEY_INVALID: 'The root key does not open this vault (wrong key, or a wrapped data key was tampered with).',
  COFFRE_KEY_PROVIDER_FAILED: 'The key provider (file, HSM or KMS) failed or is unreachable.',
  COFFRE_DECRYPT_FAILED: 'A stored ciphertext did not authenticate: it was modified or moved to another place.',
  COFFRE_DATA_KEY_UNAVAILABLE: 'The data key a ciphertext names is unknown or retired.',
  COFFRE_ADDRESS_MISMATCH: 'A key does not re-derive the address it is stored or supplied with.',
  COFFRE_STORE_FAILED: 'The database rejected or failed an operation.',
  COFFRE_TRANSACTION_BYPASS: 'A query was sent outside the open transaction it runs inside (a defect; reported instead of a hang when transaction checking is on).',
  COFFRE_MIGRATION_FAILED: 'A schema migration failed or the database is newer than this Coffre.',
  COFFRE_AUDIT_FAILED: 'The audit entry could not be written, so the action was refused (fail-closed).',
  COFFRE_INTEGRITY_FAILED: 'A row that grants or identifies (token, user binding, wallet, data key, derived key, pair, Polymarket credential) does not authenticate under the vault\'s MAC key: it was written or changed outside Coffre, so it is not used.',
  COFFRE_AUDIT_CHAIN_BROKEN: 'The audit hash chain does not verify.',
  COFFRE_SIGNING_FAILED: 'The payload could not be signed (malformed transaction or typed data).',
  COFFRE_UNSUPPORTED: 'The operation is not supported for this user or configuration.',
  COFFRE_UNAUTHORIZED: 'Missing, invalid or revoked credentials.',
  COFFRE_FORBIDDEN: 'The credentials lack the scope this operation needs.',
  COFFRE_RATE_LIMITED: 'Too many requests; retry later.',
  COFFRE_PAYLOAD_TOO_LARGE: 'The request body is larger than the service accepts.',
  COFFRE_IDEMPOTENCY_MISMATCH: 'The Idempotency-Key was already used with a different request.',
  COFFRE_UPSTREAM_FAILED: 'An upstream service (e.g. the Polymarket CLOB) failed or refused the request.',
  COFFRE_LEGACY_KEY_INVALID: 'The legacy ENCRYPTION_KEY does not authenticate the legacy database\'s encrypted values; the import stopped before writing anything.',
  COFFRE_BACKUP_INVALID: 'Backup shares are too few, mixed, corrupted or do not open the vault.',
  COFFRE_SHARE_MALFORMED: 'A user backup share is not one: wrong prefix, unknown version, wrong length or a field out of range.',
  COFFRE_SHARE_CORRUPTED: 'A user backup share fails its checksum: it was altered or damaged in storage or transit.',
  COFFRE_SHARES_MIXED: 'The shares come from different backups (or disagree on threshold, count or purpose), so they cannot be combined.',
  COFFRE_SHARE_DUPLICATED: 'The same share (or two shares with one index) was given twice; each share counts once.',
  COFFRE_SHARES_TOO_FEW: 'Fewer distinct shares than the backup threshold were given.',
  COFFRE_SHARES_WRONG: 'The shares combine to a secret that fails the backup digest, or they belong to another backup, user or vault.',
  COFFRE_RECOVERY_REQUEST_INVALID: 'An account-recovery request text is not in the canonical form, or names another vault or guardian set.',
  COFFRE_RECOVERY_EXPIRED: 'The account-recovery request has expired.',
  COFFRE_RECOVERY_SIGNATURE_INVALID: 'A recovery approval signature is malformed or was not made by one of the user\'s guardians.',
  COFFRE_RECOVERY_THRESHOLD_NOT_MET: 'Fewer distinct guardians than the threshold have approved the recovery request.',
  COFFRE_RECOVERY_PENDING: 'The account-recovery request is not approved yet, or its waiting period (during which the owner can cancel) has not passed.',
  COFFRE_SAFE_SIGNATURE_INVALID: 'A Safe signature is malformed or was not made by an owner of the Safe.',
  COFFRE_SAFE_THRESHOLD_NOT_MET: 'Fewer distinct Safe owners than the threshold have signed the Safe transaction or message.',
  COFFRE_POLICY_INVALID: 'A policy document (or template instantiation) is malformed; the message names the bad field.',
  COFFRE_POLICY_DENIED: 'A signing policy denied the request; details name the deciding rule.',
  COFFRE_APPROVAL_REQUIRED: 'A signing policy holds the request until enough approvers approve it.',
  COFFRE_API_VERSION_UNSUPPORTED: 'The client and the server speak different major versions of the HTTP API; the server refuses the request before any work, and the clients refuse such a server\'s replies.',
  COFFRE_NETWORK_FAILED: 'A Coffre client could not reach the service (connection refused or reset, timeout) and gave up after its retries.',
  COFFRE_INTERNAL: 'An unexpected internal error.',
} as const

export type ErrorCode = keyof typeof errorCodes

export type ErrorDetails = Readonly<Record<string, string | number | boolean | null | readonly (string | number)[]>>

export class CoffreError extends Error {
  override name = 'CoffreError'
  readonly code: ErrorCode
  readonly details: ErrorDetails | undefined

  constructor(code: ErrorCode, message: string, options: { details?: ErrorDetails; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.details = options.details
  }

  toJSON(): { code: ErrorCode; message: string; details?: ErrorDetails } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

export const isCoffreError = (value: unknown): value is CoffreError => value instanceof CoffreError

/** Shorthand for the most common error: a bad argument. */
export const invalidInput = (message: string, details?: ErrorDetails): CoffreError =>
  new CoffreError('COFFRE_INVALID_INPUT', message, details === undefined ? {} : { details })

/** Removes user:password from URLs before they reach a message or a log line. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '' || parsed.username !== '') {
      parsed.username = parsed.username === '' ? '' : '***'
      parsed.password = parsed.password === '' ? '' : '***'
    }
    return parsed.toString()
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@')
  }
}
