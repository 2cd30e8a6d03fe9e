/**
 * The account-recovery request guardians sign (EIP-191 personal_sign over its UTF-8 text), in one
 * canonical form so that a signature means exactly one thing:
 *
 *   Coffre account recovery v1
 *   Approving moves this user's wallets to the new Telegram account below.
 *   Vault: <vaultId>
 *   Guardian set: <guardianSetId>
 *   User: <userId>
 *   New Telegram ID: <decimal>
 *   Expires: <YYYY-MM-DDTHH:MM:SSZ>
 *   Nonce: <64 lowercase hex>
 *
 * Lines end with "\n" (none after the last). The domain line and the vault id stop a signature
 * being replayed in another product or vault; the guardian-set id voids pending approvals when the
 * guardians are rotated; the expiry bounds a signature's life and the nonce makes each request
 * unique. Parsing is strict: only text that formats back to itself byte for byte is accepted.
 */
import { randomBytes } from 'node:crypto'
import { CoffreError, invalidInput } from '../../errors.ts'

export const RECOVERY_DOMAIN = 'Coffre account recovery v1'
const NOTICE = "Approving moves this user's wallets to the new Telegram account below."
const ID = /^[A-Za-z0-9._:#-]{1,128}$/
const NONCE = /^[0-9a-f]{64}$/
const TELEGRAM_ID = /^[1-9][0-9]{0,15}$/
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/
export const MAX_RECOVERY_TTL_SECONDS = 30 * 24 * 3600

export type RecoveryRequest = {
  readonly vaultId: string
  readonly guardianSetId: string
  readonly userId: string
  readonly newTelegramUserId: number
  /** Unix seconds. */
  readonly expiresAt: number
  /** 32 bytes, lowercase hex. */
  readonly nonce: string
}

const invalid = (message: string, field?: string) =>
  new CoffreError('COFFRE_RECOVERY_REQUEST_INVALID', message, field === undefined ? {} : { details: { field } })

function checkFields(request: RecoveryRequest, fail: (message: string, field: string) => CoffreError): void {
  for (const field of ['vaultId', 'guardianSetId', 'userId'] as const) {
    if (typeof request[field] !== 'string' || !ID.test(request[field])) throw fail(`${field} must be 1–128 characters of A–Z a–z 0–9 . _ : # -`, field)
  }
  if (!Number.isSafeInteger(request.newTelegramUserId) || request.newTelegramUserId < 1) throw fail('newTelegramUserId must be a positive integer', 'newTelegramUserId')
  if (!Number.isSafeInteger(request.expiresAt) || request.expiresAt < 0 || request.expiresAt > 253402300799) throw fail('expiresAt must be unix seconds', 'expiresAt')
  if (typeof request.nonce !== 'string' || !NONCE.test(request.nonce)) throw fail('nonce must be 64 lowercase hex characters', 'nonce')
}

export function formatRecoveryRequest(request: RecoveryRequest): string {
  checkFields(request, (message, field) => invalidInput(message, { field }))
  return [
    RECOVERY_DOMAIN,
    NOTICE,
    `Vault: ${request.vaultId}`,
    `Guardian set: ${request.guardianSetId}`,
    `User: ${request.userId}`,
    `New Telegram ID: ${request.newTelegramUserId}`,
    `Expires: ${new Date(request.expiresAt * 1000).toISOString().replace('.000Z', 'Z')}`,
    `Nonce: ${request.nonce}`,
  ].join('\n')
}

/** A new request with a fresh nonce, expiring `ttlSeconds` after `now` (unix seconds). */
export function newRecoveryRequest(input: Omit<RecoveryRequest, 'expiresAt' | 'nonce'> & { now: number; ttlSeconds: number }): RecoveryRequest {
  if (!Number.isSafeInteger(input.ttlSeconds) || input.ttlSeconds < 60 || input.ttlSeconds > MAX_RECOVERY_TTL_SECONDS) {
    throw invalidInput(`ttlSeconds must be an integer from 60 to ${MAX_RECOVERY_TTL_SECONDS}`, { field: 'ttlSeconds' })
  }
  if (!Number.isSafeInteger(input.now) || input.now < 0) throw invalidInput('now must be unix seconds', { field: 'now' })
  const request = {
    vaultId: input.vaultId,
    guardianSetId: input.guardianSetId,
    userId: input.userId,
    newTelegramUserId: input.newTelegramUserId,
    expiresAt: input.now + input.ttlSeconds,
    nonce: randomBytes(32).toString('hex'),
  }
  checkFields(request, (message, field) => invalidInput(message, { field }))
  return request
}

const LINE = (label: string) => new RegExp(`^${label}: (.*)$`)

export function parseRecoveryRequest(text: unknown): RecoveryRequest {
  if (typeof text !== 'string') throw invalid('the recovery request must be text')
  if (text.length > 2048) throw invalid('the recovery request is too long')
  const lines = text.split('\n')
  if (lines.length !== 8 || lines[0] !== RECOVERY_DOMAIN || lines[1] !== NOTICE) throw invalid(`not a "${RECOVERY_DOMAIN}" request`)
  const value = (i: number, label: string): string => {
    const match = LINE(label).exec(lines[i] as string)
    if (match === null) throw invalid(`line ${i + 1} must be "${label}: …"`)
    return match[1] as string
  }
  const [vaultId, guardianSetId, userId, telegram, expires, nonce] = [
    value(2, 'Vault'), value(3, 'Guardian set'), value(4, 'User'), value(5, 'New Telegram ID'), value(6, 'Expires'), value(7, 'Nonce'),
  ]
  if (!TELEGRAM_ID.test(telegram)) throw invalid('New Telegram ID must be a positive decimal integer', 'newTelegramUserId')
  const millis = INSTANT.test(expires) ? Date.parse(expires) : Number.NaN
  if (Number.isNaN(millis)) throw invalid('Expires must be an instant like 2026-01-31T12:00:00Z', 'expiresAt')
  const request: RecoveryRequest = { vaultId, guardianSetId, userId, newTelegramUserId: Number(telegram), expiresAt: millis / 1000, nonce }
  checkFields(request, invalid)
  if (formatRecoveryRequest(request) !== text) throw invalid('the recovery request is not in canonical form')
  return request
}
