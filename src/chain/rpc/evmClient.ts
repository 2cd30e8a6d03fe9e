/**
 * The Polygon (EVM) read client: viem's `fallback` over one HTTP transport per configured URL, in
 * the configured order. Each URL proves its chain id (eth_chainId) before it serves its first
 * request; a URL on another chain fails (COFFRE_INVALID_CONFIG, reason `chain-mismatch`) for good, so the fallback
 * moves past it and a wrong endpoint can never feed balances or deposits. `connectPolygon`
 * checks every URL at start.
 */
import { createPublicClient, createTransport, defineChain, fallback, http, type Chain, type PublicClient, type Transport } from 'viem'
import type { CoffreError } from '../../errors.ts'
import { chainError } from '../chainErrors.ts'
import type { PolygonChainConfig } from '../chainConfig.ts'
import { redactUrlsIn, toRpcError } from './rpcError.ts'

export type PolygonClient = PublicClient<Transport, Chain>

export type PolygonChain = Readonly<{ config: PolygonChainConfig; client: PolygonClient; chain: Chain }>

function chainMismatch(url: string, expected: number, actual: number): CoffreError {
  return chainError('chain-mismatch', `RPC ${redactUrlsIn(url)} serves chain ${actual}, not the configured ${expected}`, {
    details: { expected, actual },
  })
}

/** An HTTP transport that checks eth_chainId once (memoized per URL) before forwarding requests. */
export function chainCheckedHttp(url: string, chainId: number, timeoutMs: number): Transport {
  const inner = http(url, { timeout: timeoutMs, retryCount: 0, batch: { batchSize: 64 } })
  let verified: Promise<void> | undefined
  return (params) => {
    const base = inner({ ...params, retryCount: 0 })
    const verify = (): Promise<void> =>
      (verified ??= (base.request({ method: 'eth_chainId' }) as Promise<string>).then(
        (hex) => {
          if (Number(hex) !== chainId) throw chainMismatch(url, chainId, Number(hex))
        },
        (error: unknown) => {
          verified = undefined // unreachable is not wrong: check again next time
          throw error
        },
      ))
    return createTransport(
      {
        key: 'checked-http',
        name: 'Chain-checked HTTP',
        type: 'http',
        retryCount: 0,
        timeout: timeoutMs,
        request: (async (args: Parameters<typeof base.request>[0], options?: Parameters<typeof base.request>[1]) => {
          await verify()
          return base.request(args, options)
        }) as typeof base.request,
      },
      base.value,
    )
  }
}

export function polygonChainDefinition(config: PolygonChainConfig): Chain {
  return defineChain({
    id: config.chainId,
    name: config.chainId === 137 ? 'Polygon' : config.chainId === 80002 ? 'Polygon Amoy' : `EVM ${config.chainId}`,
    nativeCurrency: { name: 'POL', symbol: 'POL', decimals: 18 },
    rpcUrls: { default: { http: [...config.rpcUrls] } },
    contracts: { multicall3: { address: config.contracts.multicall3 } },
  })
}

export function createPolygonClient(config: PolygonChainConfig): PolygonChain {
  const chain = polygonChainDefinition(config)
  const transports = config.rpcUrls.map((url) => chainCheckedHttp(url, config.chainId, config.requestTimeoutMs))
  const client = createPublicClient({ chain, transport: fallback(transports, { retryCount: 1, retryDelay: 200 }), pollingInterval: 1_000 }) as PolygonClient
  return Object.freeze({ config, client, chain })
}

/**
 * Builds the client and checks every URL's chain id now: a URL on another chain is
 * refused (`chain-mismatch`); unreachable URLs are returned (they are checked again on first use),
 * and `rpc-failed` when none answers.
 */
export async function connectPolygon(config: PolygonChainConfig): Promise<PolygonChain & { unreachable: readonly string[] }> {
  const unreachable: string[] = []
  for (const url of config.rpcUrls) {
    const probe = createPublicClient({ transport: http(url, { timeout: config.requestTimeoutMs, retryCount: 0 }) })
    let actual: number
    try {
      actual = await probe.getChainId()
    } catch {
      unreachable.push(redactUrlsIn(url))
      continue
    }
    if (actual !== config.chainId) throw chainMismatch(url, config.chainId, actual)
  }
  if (unreachable.length === config.rpcUrls.length) {
    throw toRpcError(new Error(`no RPC endpoint answered (${unreachable.join(', ')})`), 'polygon', 'eth_chainId')
  }
  return { ...createPolygonClient(config), unreachable: Object.freeze(unreachable) }
}
