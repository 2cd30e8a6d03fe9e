/**
 * The vault's RPC clients, one per configured chain, made on first use (a vault that never goes on
 * chain never reaches an RPC). Each URL proves its chain id (Polygon) or genesis hash (Solana)
 * before it serves; `connect()` checks every URL now — `coffre serve` calls it at start, so a
 * wrong endpoint refuses the start (COFFRE_INVALID_CONFIG, reason `chain-mismatch`).
 */
import type { ChainConfig, PolygonChainConfig, SolanaChainConfig } from '../../chain/chainConfig.ts'
import { connectPolygon, createPolygonClient, type PolygonChain } from '../../chain/rpc/evmClient.ts'
import { connectSolana, createSolanaChain, type SolanaChain } from '../../chain/rpc/solanaRpc.ts'
import { CoffreError } from '../../errors.ts'

export type ChainConnectionReport = Readonly<{
  polygon?: Readonly<{ chainId: number; urls: number; unreachable: readonly string[] }>
  solana?: Readonly<{ urls: number; unreachable: readonly string[] }>
}>

export type ChainConnections = Readonly<{
  config: ChainConfig
  polygon(): PolygonChain
  solana(): SolanaChain
  hasPolygon: boolean
  hasSolana: boolean
  connect(): Promise<ChainConnectionReport>
}>

export function createChainConnections(config: ChainConfig = {}): ChainConnections {
  let polygon: PolygonChain | undefined
  let solana: SolanaChain | undefined
  const polygonConfig = (): PolygonChainConfig => {
    if (config.polygon === undefined) throw new CoffreError('COFFRE_UNSUPPORTED', 'no Polygon RPC is configured (--polygon-rpc-url or COFFRE_POLYGON_RPC_URL)')
    return config.polygon
  }
  const solanaConfig = (): SolanaChainConfig => {
    if (config.solana === undefined) throw new CoffreError('COFFRE_UNSUPPORTED', 'no Solana RPC is configured (--solana-rpc-url or COFFRE_SOLANA_RPC_URL)')
    return config.solana
  }
  return Object.freeze({
    config,
    hasPolygon: config.polygon !== undefined,
    hasSolana: config.solana !== undefined,
    polygon: () => (polygon ??= createPolygonClient(polygonConfig())),
    solana: () => (solana ??= createSolanaChain(solanaConfig())),
    async connect(): Promise<ChainConnectionReport> {
      const report: { polygon?: ChainConnectionReport['polygon']; solana?: ChainConnectionReport['solana'] } = {}
      if (config.polygon !== undefined) {
        const connected = await connectPolygon(config.polygon)
        polygon = connected
        report.polygon = { chainId: config.polygon.chainId, urls: config.polygon.rpcUrls.length, unreachable: connected.unreachable }
      }
      if (config.solana !== undefined) {
        const connected = await connectSolana(config.solana)
        solana = connected
        report.solana = { urls: config.solana.rpcUrls.length, unreachable: connected.unreachable }
      }
      return Object.freeze(report)
    },
  })
}
