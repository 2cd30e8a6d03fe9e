/** What a recovery request looks like to callers (no secret: the text is what guardians sign). */
import type { RecoveryRequestRow } from '../../store/recoveryRequests.ts'

export type RecoveryState = 'pending' | 'approved' | 'cancelled' | 'completed' | 'expired'

export type RecoveryRequestView = {
  readonly requestId: string
  readonly userId: string
  readonly guardianSetId: string
  readonly newTelegramUserId: number
  /** The exact text each guardian signs with EIP-191 personal_sign. */
  readonly text: string
  readonly expiresAt: string
  readonly state: RecoveryState
  readonly approvedBy: readonly string[]
  readonly threshold: number
  /** When the binding may move (approval + waiting period); null until approved. */
  readonly executableAt: string | null
  readonly createdAt: string
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString()

export function toRecoveryView(row: RecoveryRequestRow, threshold: number, nowSeconds: number): RecoveryRequestView {
  const expired = row.state === 'pending' && nowSeconds >= Number(row.expires_at)
  return {
    requestId: row.id,
    userId: row.user_id,
    guardianSetId: row.guardian_set_id,
    newTelegramUserId: Number(row.new_telegram_user_id),
    text: row.request_text,
    expiresAt: iso(Number(row.expires_at)),
    state: expired ? 'expired' : row.state,
    approvedBy: JSON.parse(row.approved_by) as string[],
    threshold,
    executableAt: row.executable_at === null ? null : iso(Number(row.executable_at)),
    createdAt: row.created_at,
  }
}
