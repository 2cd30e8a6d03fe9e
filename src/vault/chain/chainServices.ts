/**
 * vault.chain: what Coffre reads and sends on Polygon and Solana for a user — balances, deposits
 * (watched by `coffre serve`), the onboarding stage, webhook events and withdrawals. RPC clients
 * are made on first use; `connect()` checks every configured endpoint's chain now.
 */
import { hostname } from 'node:os'
import { randomUUID } from 'node:crypto'
import { onboardingOf, type Onboarding } from '../../store/chain/onboardingStore.ts'
import type { VaultContext } from '../context.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'
import { createChainConnections, type ChainConnectionReport } from './chainConnections.ts'
import { startChainWatcher, type ChainWatcher, type ChainWatcherOptions } from './chainWatcher.ts'
import { scanDepositsOnce, type DepositScanReport } from './depositWatcher.ts'
import { readUserBalances, type UserBalances } from './userBalances.ts'
import { createWebhookService } from './webhookService.ts'
import { createWithdrawalService } from './withdrawalService.ts'
import { createApprovalService } from './approvalService.ts'
import { createChainSenders, type ChainTuning } from './chainSenders.ts'

export function createChainServices(ctx: VaultContext, tuning: ChainTuning = {}) {
  const chains = createChainConnections(ctx.config.chain)
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`
  const webhooks = createWebhookService(ctx)
  const senders = createChainSenders(ctx, chains, tuning)
  const withdrawals = createWithdrawalService(ctx, chains, senders)
  const approvals = createApprovalService(ctx, chains, senders)
  const watchers = new Set<ChainWatcher>()
  const scanDeposits = (): Promise<DepositScanReport> => scanDepositsOnce(ctx, chains, holder)
  return {
    /** Checks every configured RPC URL's chain id / genesis hash; refuses on a mismatch. */
    connect: (): Promise<ChainConnectionReport> => chains.connect(),
    /** Which chains are configured. */
    configured: (): { polygon: boolean; solana: boolean } => ({ polygon: chains.hasPolygon, solana: chains.hasSolana }),
    balances: (ref: UserRef): Promise<UserBalances> => readUserBalances(ctx, chains, ref),
    /** The user's onboarding stage: created → funded (first deposit) → approved → ready. */
    async onboarding(ref: UserRef): Promise<Onboarding & { userId: string }> {
      const { user } = await requireUserRows(ctx, ref)
      return { userId: user.id, ...(await onboardingOf(ctx.store.db, user.id)) }
    },
    deposits: {
      /** One scan step on every configured chain (skipped when another instance holds the job). */
      scan: scanDeposits,
    },
    webhooks,
    /** Withdrawals to outside addresses, authorised once, sent once through the durable outbox. */
    withdrawals,
    /** Polymarket trading approvals: only the missing ones, each sent exactly once. */
    approvals,
    /** Runs deposit scanning, webhook delivery and withdrawal tracking in the background (coffre serve). */
    startWatcher(options: ChainWatcherOptions = {}): ChainWatcher {
      const watcher = startChainWatcher(ctx, {
        deposits: () => (chains.hasPolygon || chains.hasSolana ? scanDeposits() : Promise.resolve()),
        approvals: () => approvals.processFunded(),
        withdrawals: () => (chains.hasPolygon || chains.hasSolana ? withdrawals.processDue() : Promise.resolve()),
        webhooks: (o) => webhooks.deliverDue(o.webhookPolicy === undefined ? {} : { policy: o.webhookPolicy }),
      }, options)
      watchers.add(watcher)
      return { tick: watcher.tick, stop: async () => { watchers.delete(watcher); await watcher.stop() } }
    },
    /** Stops every watcher (vault.close). */
    async close(): Promise<void> {
      await Promise.all([...watchers].map((w) => w.stop()))
      watchers.clear()
    },
  }
}

export type ChainServices = Omit<ReturnType<typeof createChainServices>, 'close'>
