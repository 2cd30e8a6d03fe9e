/**
 * One deposit-scan step over every user's wallets, run by one instance at a time (a store job
 * lock: a PostgreSQL advisory lock, a lease row on SQLite; the EVM checkpoint's compare-and-set
 * backs it up). Polygon: native and ERC-20 (pUSD, USDC.e) transfers with N confirmations, reorgs
 * reverting what they removed; Solana: SOL and SPL USDC at the configured commitment. Each deposit
 * is stored once, with its webhook event and the user's move to `funded`, in the scan's own
 * transaction.
 */
import { address as solanaAddress } from '@solana/kit'
import type { Transaction } from 'kysely'
import { usdcAccountOf } from '../../chain/balances/solanaBalances.ts'
import { defaultScanTuning, scanEvmDeposits } from '../../chain/deposits/scanEvmDeposits.ts'
import { scanSolanaDeposits } from '../../chain/deposits/scanSolanaDeposits.ts'
import { rpcCall } from '../../chain/rpc/rpcError.ts'
import { loadEvmCheckpoint, loadSolanaCheckpoints, recordEvmScan, recordSolanaScan, type DepositEvent } from '../../store/chain/depositStore.ts'
import { advanceOnboarding } from '../../store/chain/onboardingStore.ts'
import { listWalletAddresses, type WatchedWallet } from '../../store/chain/watchedWallets.ts'
import { withJobLock } from '../../store/scheduler/jobLock.ts'
import type { Database } from '../../store/schema.ts'
import type { VaultContext } from '../context.ts'
import type { ChainConnections } from './chainConnections.ts'
import { emitChainEvent } from './chainEvents.ts'

export const DEPOSIT_JOB = 'chain-deposits'

export type DepositScanReport = Readonly<{ ran: boolean; polygon: number; solana: number; reverted: number }>

/** Stores each deposit event for the bot, and moves the receiving user to `funded` on a first confirmed deposit. */
async function onDepositEvents(ctx: VaultContext, trx: Transaction<Database>, events: readonly DepositEvent[], userOf: (address: string) => string | undefined): Promise<void> {
  const at = new Date()
  for (const event of events) {
    const userId = userOf(event.to)
    await emitChainEvent(ctx, trx, event.type, { ...event, userId: userId ?? null }, at.getTime())
    if (event.type === 'deposit.confirmed' && userId !== undefined && (await advanceOnboarding(trx, userId, 'funded', at.toISOString()))) {
      await emitChainEvent(ctx, trx, 'onboarding.stage', { userId, stage: 'funded' }, at.getTime())
    }
  }
}

const indexByAddress = (wallets: readonly WatchedWallet[], normalise: (a: string) => string) => {
  const byAddress = new Map(wallets.map((w) => [normalise(w.address), w.userId]))
  return (address: string) => byAddress.get(normalise(address))
}

async function scanPolygon(ctx: VaultContext, chains: ChainConnections): Promise<DepositEvent[]> {
  const polygon = chains.polygon()
  const { config, client } = polygon
  const scanner = `polygon:${config.chainId}`
  const db = ctx.store.db
  const wallets = await listWalletAddresses(db, 'polygon')
  const stored = await loadEvmCheckpoint(db, scanner)
  let checkpoint = stored?.checkpoint
  if (checkpoint === undefined) {
    // A new watcher starts at the deepest block a reorg may still change, not at genesis.
    const head = await rpcCall('polygon', 'eth_blockNumber', () => client.getBlockNumber({ cacheTime: 0 }))
    const start = head - BigInt(config.confirmations)
    checkpoint = { nextBlock: start > 0n ? start : 0n, recentBlocks: [] }
  }
  const result = await scanEvmDeposits(client, checkpoint, {
    ...defaultScanTuning,
    recipients: wallets.map((w) => w.address as `0x${string}`),
    tokens: [config.contracts.pUsd, config.contracts.usdcE],
    native: true,
    confirmations: config.confirmations,
    logBlockRange: config.logBlockRange,
    logAddressBatch: config.logAddressBatch,
  })
  const userOf = indexByAddress(wallets, (a) => a.toLowerCase())
  return recordEvmScan(db, { scanner, chainId: config.chainId, expectedVersion: stored?.version, result, onEvents: (trx, events) => onDepositEvents(ctx, trx, events, userOf) })
}

async function scanSolana(ctx: VaultContext, chains: ChainConnections): Promise<DepositEvent[]> {
  const solana = chains.solana()
  const db = ctx.store.db
  const wallets = await listWalletAddresses(db, 'solana')
  if (wallets.length === 0) return []
  const mint = solanaAddress(solana.config.usdcMint)
  const owners = new Map<string, string>()
  for (const wallet of wallets) {
    owners.set(wallet.address, wallet.address)
    owners.set(await usdcAccountOf(solanaAddress(wallet.address), mint), wallet.address)
  }
  const checkpoints = await loadSolanaCheckpoints(db, [...owners.keys()])
  const result = await scanSolanaDeposits(solana, wallets.map((w) => w.address), checkpoints)
  const userOf = indexByAddress(wallets, (a) => a)
  return recordSolanaScan(db, { deposits: result.deposits, checkpoints: result.checkpoints, owners, onEvents: (trx, events) => onDepositEvents(ctx, trx, events, userOf) })
}

/** One step on every configured chain, if no other instance is running it now. */
export async function scanDepositsOnce(ctx: VaultContext, chains: ChainConnections, holder: string, leaseMs = 120_000): Promise<DepositScanReport> {
  const run = await withJobLock(ctx.store.db, ctx.store.dialect, DEPOSIT_JOB, holder, leaseMs, async () => {
    const polygon = chains.hasPolygon ? await scanPolygon(ctx, chains) : []
    const solana = chains.hasSolana ? await scanSolana(ctx, chains) : []
    return { polygon, solana }
  })
  if (!run.ran) return { ran: false, polygon: 0, solana: 0, reverted: 0 }
  const all = [...run.result.polygon, ...run.result.solana]
  return {
    ran: true,
    polygon: run.result.polygon.filter((e) => e.type === 'deposit.confirmed').length,
    solana: run.result.solana.filter((e) => e.type === 'deposit.confirmed').length,
    reverted: all.filter((e) => e.type === 'deposit.reverted').length,
  }
}
