/**
 * vault.chain: what Coffre reads and sends on Polygon and Solana for a user — balances, deposits
 * (watched by `coffre serve`), the onboarding stage, webhook events and withdrawals. RPC clients
 * are made on first use; `connect()` checks every configured endpoint's chain now.
 */
import type { VaultContext } from '../context.ts'
import type { UserRef } from '../users/findUser.ts'
import { createChainConnections, type ChainConnectionReport } from './chainConnections.ts'
import { readUserBalances, type UserBalances } from './userBalances.ts'

export function createChainServices(ctx: VaultContext) {
  const chains = createChainConnections(ctx.config.chain)
  return {
    /** Checks every configured RPC URL's chain id / genesis hash; refuses on a mismatch. */
    connect: (): Promise<ChainConnectionReport> => chains.connect(),
    /** Which chains are configured. */
    configured: (): { polygon: boolean; solana: boolean } => ({ polygon: chains.hasPolygon, solana: chains.hasSolana }),
    balances: (ref: UserRef): Promise<UserBalances> => readUserBalances(ctx, chains, ref),
  }
}

export type ChainServices = ReturnType<typeof createChainServices>
