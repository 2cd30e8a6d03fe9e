/** `coffre polymarket wallets --address A`: the address's Polymarket proxy wallet and Safe. */
import { chainContracts } from '../contracts.ts'
import { proxyWalletAddress, safeWalletAddress } from '../walletAddresses.ts'

export function walletsCommand(input: { address: string; chainId?: string | number }): { proxy: string | null; safe: string } {
  const chainId = Number(input.chainId ?? 137)
  const hasProxy = chainContracts(chainId).proxyFactory !== undefined
  return { proxy: hasProxy ? proxyWalletAddress(input.address, chainId) : null, safe: safeWalletAddress(input.address, chainId) }
}
