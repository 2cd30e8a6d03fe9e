/**
 * A user's balances on both chains, each with the block or slot it was read at: POL, pUSD and
 * USDC.e on Polygon (one multicall pinned to one block), SOL and SPL USDC on Solana (one
 * getMultipleAccounts). Amounts are integer strings in base units (wei, 6-decimal tokens,
 * lamports). A chain that is not configured is null.
 */
import { readPolygonBalances } from '../../chain/balances/polygonBalances.ts'
import { readSolanaBalances } from '../../chain/balances/solanaBalances.ts'
import type { VaultContext } from '../context.ts'
import { requireUserRows, type UserRef } from '../users/findUser.ts'
import type { ChainConnections } from './chainConnections.ts'

export type PolygonUserBalances = Readonly<{ chainId: number; address: string; blockNumber: string; blockHash: string; pol: string; pUsd: string; usdcE: string }>
export type SolanaUserBalances = Readonly<{ address: string; slot: string; sol: string; usdc: string; usdcMint: string }>
export type UserBalances = Readonly<{ userId: string; polygon: PolygonUserBalances | null; solana: SolanaUserBalances | null }>

export async function readUserBalances(ctx: VaultContext, chains: ChainConnections, ref: UserRef): Promise<UserBalances> {
  const { user, wallets } = await requireUserRows(ctx, ref)
  const addressOf = (chain: 'polygon' | 'solana') => wallets.find((w) => w.chain === chain)?.address
  const polygonAddress = addressOf('polygon')
  const solanaAddress = addressOf('solana')
  const [polygon, solana] = await Promise.all([
    chains.hasPolygon && polygonAddress !== undefined
      ? readPolygonBalances(chains.polygon(), [polygonAddress]).then((read): PolygonUserBalances => {
          const [b] = read.balances
          return { chainId: chains.polygon().config.chainId, address: polygonAddress, blockNumber: read.blockNumber.toString(), blockHash: read.blockHash, pol: String(b?.pol ?? 0n), pUsd: String(b?.pUsd ?? 0n), usdcE: String(b?.usdcE ?? 0n) }
        })
      : null,
    chains.hasSolana && solanaAddress !== undefined
      ? readSolanaBalances(chains.solana(), [solanaAddress]).then((read): SolanaUserBalances => {
          const [b] = read.balances
          return { address: solanaAddress, slot: String(b?.slot ?? read.slot), sol: String(b?.sol ?? 0n), usdc: String(b?.usdc ?? 0n), usdcMint: chains.solana().config.usdcMint }
        })
      : null,
  ])
  return Object.freeze({ userId: user.id, polygon, solana })
}
