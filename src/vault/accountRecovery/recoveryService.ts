/**
 * `vault.recovery`: moving a user's wallets to a new telegram id when the user lost their Telegram
 * account (issue 14). A request names the user, the new telegram id, an expiry and a nonce in a
 * canonical text (recovery/guardians/recoveryRequest.ts); t guardians approve it by signing that
 * text (EIP-191); once approved a waiting period runs (default 48 h, `waitingPeriodSeconds`) during
 * which the current owner can cancel; then `complete` moves the telegram binding. Every step is a
 * compare-and-set on the request's state in one transaction with its audit entry, and every refusal
 * is audited. Rotating or removing the guardians cancels open requests; a request naming an older
 * guardian set is refused. The clock is injected (`now`, milliseconds) for tests.
 */
import type { Transaction } from 'kysely'
import { CoffreError, invalidInput, isCoffreError } from '../../errors.ts'
import type { Database } from '../../store/schema.ts'
import { newUuidV7 } from '../../ids.ts'
import { formatRecoveryRequest, newRecoveryRequest } from '../../recovery/guardians/recoveryRequest.ts'
import { verifyGuardianApprovals } from '../../recovery/guardians/verifyGuardianApprovals.ts'
import { appendAuditEntries } from '../../store/audit/append.ts'
import { findActiveGuardianSet, findGuardianSet } from '../../store/guardianSets.ts'
import { findOpenRecoveryRequests, findRecoveryRequest, insertRecoveryRequest, updateRecoveryRequest, type RecoveryRequestRow } from '../../store/recoveryRequests.ts'
import { findUserById, findUserByTelegramId, moveTelegramBinding } from '../../store/users.ts'
import { readVaultId } from '../../store/vaultMeta.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import { guardianSetOf } from '../guardians/guardianService.ts'
import { parseTelegramUserId, parseUserId } from '../users/userInput.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'
import { toRecoveryView, type RecoveryRequestView } from './recoveryView.ts'

export type RecoveryOptions = {
  /** Seconds between approval and the move (default 48 h). */
  readonly waitingPeriodSeconds?: number
  /** Milliseconds since the epoch (an injected clock). */
  readonly now?: () => number
}

export const DEFAULT_RECOVERY_WAITING_SECONDS = 48 * 3600

export type RecoveryService = {
  request(ref: UserRef, input: { newTelegramUserId: number | string; ttlSeconds?: number }, options?: ActionOptions): Promise<RecoveryRequestView>
  approve(ref: UserRef, requestId: string, input: { signatures: readonly string[] }, options?: ActionOptions): Promise<RecoveryRequestView>
  cancel(ref: UserRef, requestId: string, options?: ActionOptions): Promise<RecoveryRequestView>
  status(ref: UserRef, requestId: string): Promise<RecoveryRequestView>
  complete(ref: UserRef, requestId: string, options?: ActionOptions): Promise<RecoveryRequestView>
}

export function createRecoveryService(ctx: VaultContext, options: RecoveryOptions = {}): RecoveryService {
  const waiting = options.waitingPeriodSeconds ?? DEFAULT_RECOVERY_WAITING_SECONDS
  if (!Number.isSafeInteger(waiting) || waiting < 0) throw invalidInput('waitingPeriodSeconds must be a non-negative integer')
  const nowMs = options.now ?? Date.now
  const nowSeconds = () => Math.floor(nowMs() / 1000)
  const db = ctx.store.db

  async function load(ref: UserRef, requestId: string): Promise<{ userId: string; row: RecoveryRequestRow; threshold: number }> {
    const { user } = await requireUserRows(ctx, ref)
    const row = await findRecoveryRequest(db, user.id, parseUserId(requestId))
    if (row === undefined) throw new CoffreError('COFFRE_NOT_FOUND', 'no such recovery request for this user')
    const set = await findGuardianSet(db, row.guardian_set_id)
    return { userId: user.id, row, threshold: set?.threshold ?? 0 }
  }

  /** Runs `step`; a refusal is audited (action, code) before it goes on. */
  async function audited<T>(action: string, actor: string, userId: string, subject: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step()
    } catch (error) {
      const code = isCoffreError(error) ? error.code : 'COFFRE_INTERNAL'
      await ctx.audit.append({ action, actor, userId, subject, details: { outcome: 'refused', code } })
      ctx.observer.audited?.(action, 1)
      throw error
    }
  }

  async function change(row: RecoveryRequestRow, changes: Partial<RecoveryRequestRow>, audit: { action: string; actor: string; details: Record<string, string | number | boolean> }, extra?: (trx: Transaction<Database>) => Promise<void>): Promise<RecoveryRequestRow> {
    const at = new Date(nowMs()).toISOString()
    const next = { ...row, ...changes, updated_at: at }
    await db.transaction().execute(async (trx) => {
      if (!(await updateRecoveryRequest(trx, row.id, { state: row.state, updatedAt: row.updated_at }, { ...changes, updated_at: at }))) {
        throw new CoffreError('COFFRE_CONFLICT', 'the recovery request changed meanwhile; read its status and retry')
      }
      await extra?.(trx)
      await appendAuditEntries(trx, ctx.store.dialect, [{ action: audit.action, actor: audit.actor, userId: row.user_id, subject: `recovery:${row.id}`, details: { outcome: 'ok', ...audit.details } }])
    })
    ctx.observer.audited?.(audit.action, 1)
    ctx.logger.info({ audit: audit.action, actor: audit.actor, userId: row.user_id, subject: `recovery:${row.id}` }, 'audit')
    return next
  }

  return {
    async request(ref, input, actionOptions = {}) {
      const actor = actionOptions.actor ?? DEFAULT_ACTOR
      const { user } = await requireUserRows(ctx, ref)
      return audited('user.recovery.request', actor, user.id, `user:${user.id}`, async () => {
        const newTelegramUserId = parseTelegramUserId(input?.newTelegramUserId)
        const set = await findActiveGuardianSet(db, user.id)
        if (set === undefined) throw new CoffreError('COFFRE_NOT_FOUND', 'the user has no guardians: account recovery needs them')
        if (newTelegramUserId === Number(user.telegram_user_id)) throw invalidInput('the new telegram id is the current one', { field: 'newTelegramUserId' })
        if ((await findUserByTelegramId(db, newTelegramUserId)) !== undefined) throw new CoffreError('COFFRE_CONFLICT', 'another user has this telegram id')
        if ((await findOpenRecoveryRequests(db, user.id)).length > 0) throw new CoffreError('COFFRE_CONFLICT', 'the user already has an open recovery request (cancel it first)')
        const vaultId = await readVaultId(db)
        if (vaultId === undefined) throw new CoffreError('COFFRE_INVALID_CONFIG', 'the vault has no id')
        const request = newRecoveryRequest({ vaultId, guardianSetId: set.id, userId: user.id, newTelegramUserId, now: nowSeconds(), ttlSeconds: input.ttlSeconds ?? 7 * 24 * 3600 })
        const at = new Date(nowMs()).toISOString()
        const row: RecoveryRequestRow = {
          id: newUuidV7(), user_id: user.id, guardian_set_id: set.id, old_telegram_user_id: Number(user.telegram_user_id), new_telegram_user_id: newTelegramUserId,
          request_text: formatRecoveryRequest(request), expires_at: request.expiresAt, state: 'pending', signatures: '[]', approved_by: '[]', executable_at: null, created_at: at, updated_at: at,
        }
        await db.transaction().execute(async (trx) => {
          await insertRecoveryRequest(trx, row)
          const details = { requestId: row.id, setId: set.id, newTelegramUserId, expiresAt: request.expiresAt }
          await appendAuditEntries(trx, ctx.store.dialect, [{ action: 'user.recovery.request', actor, userId: user.id, subject: `recovery:${row.id}`, details }])
        })
        ctx.observer.audited?.('user.recovery.request', 1)
        return toRecoveryView(row, set.threshold, nowSeconds())
      })
    },

    async approve(ref, requestId, input, actionOptions = {}) {
      const actor = actionOptions.actor ?? DEFAULT_ACTOR
      const { userId, row } = await load(ref, requestId)
      return audited('user.recovery.approve', actor, userId, `recovery:${row.id}`, async () => {
        if (!Array.isArray(input?.signatures) || input.signatures.length === 0 || input.signatures.length > 16) throw invalidInput('signatures must be a list of 1 to 16 EIP-191 signatures', { field: 'signatures' })
        if (row.state !== 'pending') throw new CoffreError('COFFRE_CONFLICT', `the recovery request is ${row.state}`)
        const active = await findActiveGuardianSet(db, userId)
        if (active === undefined || active.id !== row.guardian_set_id) throw new CoffreError('COFFRE_RECOVERY_REQUEST_INVALID', 'the user\'s guardians changed since the request was made')
        const vaultId = (await readVaultId(db)) ?? ''
        const signatures = [...(JSON.parse(row.signatures) as string[]), ...input.signatures]
        const approvals = verifyGuardianApprovals(row.request_text, signatures, guardianSetOf(active), { vaultId, now: nowSeconds() })
        const approved = approvals.thresholdMet
        const changes: Partial<RecoveryRequestRow> = {
          signatures: JSON.stringify([...new Set(signatures)]),
          approved_by: JSON.stringify(approvals.approvedBy),
          ...(approved ? { state: 'approved' as const, executable_at: nowSeconds() + waiting } : {}),
        }
        const next = await change(row, changes, { action: 'user.recovery.approve', actor, details: { approvals: approvals.approvedBy.length, threshold: approvals.threshold, approved } })
        return toRecoveryView(next, active.threshold, nowSeconds())
      })
    },

    async cancel(ref, requestId, actionOptions = {}) {
      const actor = actionOptions.actor ?? DEFAULT_ACTOR
      const { userId, row, threshold } = await load(ref, requestId)
      return audited('user.recovery.cancel', actor, userId, `recovery:${row.id}`, async () => {
        if (row.state !== 'pending' && row.state !== 'approved') throw new CoffreError('COFFRE_CONFLICT', `the recovery request is ${row.state}`)
        const next = await change(row, { state: 'cancelled' }, { action: 'user.recovery.cancel', actor, details: { was: row.state } })
        return toRecoveryView(next, threshold, nowSeconds())
      })
    },

    async status(ref, requestId) {
      const { row, threshold } = await load(ref, requestId)
      return toRecoveryView(row, threshold, nowSeconds())
    },

    async complete(ref, requestId, actionOptions = {}) {
      const actor = actionOptions.actor ?? DEFAULT_ACTOR
      const { userId, row, threshold } = await load(ref, requestId)
      return audited('user.recovery.complete', actor, userId, `recovery:${row.id}`, async () => {
        if (row.state !== 'approved' || row.executable_at === null) throw new CoffreError('COFFRE_RECOVERY_PENDING', `the recovery request is ${row.state}, not approved`)
        if (nowSeconds() < Number(row.executable_at)) {
          throw new CoffreError('COFFRE_RECOVERY_PENDING', `the waiting period runs until ${new Date(Number(row.executable_at) * 1000).toISOString()}; the owner can still cancel`, { details: { executableAt: Number(row.executable_at) } })
        }
        const active = await findActiveGuardianSet(db, userId)
        if (active === undefined || active.id !== row.guardian_set_id) throw new CoffreError('COFFRE_RECOVERY_REQUEST_INVALID', 'the user\'s guardians changed since the request was approved')
        const from = Number(row.old_telegram_user_id)
        const to = Number(row.new_telegram_user_id)
        if ((await findUserByTelegramId(db, to)) !== undefined) throw new CoffreError('COFFRE_CONFLICT', 'another user has the new telegram id')
        const next = await change(row, { state: 'completed' }, { action: 'user.recovery.complete', actor, details: { from, to } }, async (trx) => {
          // The binding is authenticated (issue 11): check the row as it is, then MAC it with the new telegram id.
          const user = await findUserById(trx, userId)
          if (user === undefined) throw new CoffreError('COFFRE_CONFLICT', 'the user no longer exists')
          ctx.integrity.require('users', user)
          const rowMac = ctx.integrity.macOf('users', { ...user, telegram_user_id: to })
          if (!(await moveTelegramBinding(trx, userId, from, to, rowMac))) throw new CoffreError('COFFRE_CONFLICT', 'the user\'s telegram id changed since the request was made')
        })
        ctx.rowCache.invalidate(userId)
        return toRecoveryView(next, threshold, nowSeconds())
      })
    },
  }
}
