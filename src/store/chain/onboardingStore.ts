/**
 * Each user's onboarding stage (created → funded → approved → ready). No row means `created`;
 * `advanceOnboarding` only moves forward (a later stage is never taken back), and runs inside the
 * caller's transaction so the stage changes with the event that caused it.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Database, OnboardingStage } from '../schema.ts'

type Executor = Kysely<Database> | Transaction<Database>

export const ONBOARDING_STAGES: readonly OnboardingStage[] = ['created', 'funded', 'approved', 'ready']

export type Onboarding = Readonly<{ stage: OnboardingStage; fundedAt: string | null; approvedAt: string | null; readyAt: string | null }>

const rank = (stage: OnboardingStage): number => ONBOARDING_STAGES.indexOf(stage)

export async function onboardingOf(db: Executor, userId: string): Promise<Onboarding> {
  const row = await db.selectFrom('chain_onboarding').selectAll().where('user_id', '=', userId).executeTakeFirst()
  if (row === undefined) return { stage: 'created', fundedAt: null, approvedAt: null, readyAt: null }
  return { stage: row.stage, fundedAt: row.funded_at, approvedAt: row.approved_at, readyAt: row.ready_at }
}

/** Moves the user to `stage` if it is later than the current one; true when it moved. */
export async function advanceOnboarding(db: Executor, userId: string, stage: OnboardingStage, at: string): Promise<boolean> {
  const current = await onboardingOf(db, userId)
  if (rank(stage) <= rank(current.stage)) return false
  const stamps = {
    funded_at: current.fundedAt ?? at,
    approved_at: rank(stage) >= rank('approved') ? (current.approvedAt ?? at) : current.approvedAt,
    ready_at: rank(stage) >= rank('ready') ? (current.readyAt ?? at) : current.readyAt,
  }
  const values = { stage, ...stamps, updated_at: at }
  const result = await db
    .insertInto('chain_onboarding')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values).where('chain_onboarding.stage', '=', current.stage))
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1
}

/** Users at `stage` (oldest change first), for the step that moves them on. */
export async function usersAtStage(db: Executor, stage: OnboardingStage, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('chain_onboarding').select('user_id').where('stage', '=', stage).orderBy('updated_at').limit(limit).execute()
  return rows.map((row) => row.user_id)
}
