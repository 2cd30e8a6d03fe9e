/**
 * The Solana RPC client: @solana/kit's RPC over a small ordered fallback of HTTP transports (one
 * per configured URL, tried in order; a transport that throws — network error, timeout, HTTP
 * error status — hands the request to the next). JSON-RPC errors are answers, not failures, and
 * are not retried elsewhere. With a configured genesis hash, each URL proves its cluster
 * (getGenesisHash, memoized) before serving; a URL of another cluster fails for good with
 * COFFRE_INVALID_CONFIG (reason `chain-mismatch`).
 */
import { createDefaultRpcTransport, createSolanaRpcFromTransport, type RpcTransport, type SolanaRpcApi, type Rpc } from '@solana/kit'
import { CoffreError } from '../../errors.ts'
import { chainError } from '../chainErrors.ts'
import type { SolanaChainConfig } from '../chainConfig.ts'
import { redactUrlsIn, toRpcError } from './rpcError.ts'

export type SolanaRpc = Rpc<SolanaRpcApi>
export type SolanaChain = Readonly<{ config: SolanaChainConfig; rpc: SolanaRpc }>

function genesisMismatch(url: string, expected: string, actual: string): CoffreError {
  return chainError('chain-mismatch', `RPC ${redactUrlsIn(url)} serves the cluster with genesis ${actual}, not the configured ${expected}`, {
    details: { expected, actual },
  })
}

function withTimeout(transport: RpcTransport, timeoutMs: number): RpcTransport {
  return ((config) => {
    const timeout = AbortSignal.timeout(timeoutMs)
    const signal = config.signal === undefined ? timeout : AbortSignal.any([config.signal, timeout])
    return transport({ ...config, signal })
  }) as RpcTransport
}

function clusterChecked(transport: RpcTransport, url: string, genesisHash: string | undefined): RpcTransport {
  if (genesisHash === undefined) return transport
  let verified: Promise<void> | undefined
  const verify = (): Promise<void> =>
    (verified ??= transport<{ result?: unknown; error?: unknown }>({ payload: { jsonrpc: '2.0', id: 0, method: 'getGenesisHash', params: [] } }).then(
      (response) => {
        if (response.result !== genesisHash) throw genesisMismatch(url, genesisHash, String(response.result ?? response.error))
      },
      (error: unknown) => {
        verified = undefined
        throw error
      },
    ))
  return (async (config) => {
    await verify()
    return transport(config)
  }) as RpcTransport
}

/** Tries each transport in order; the last failure is thrown when all fail. */
export function fallbackTransport(transports: readonly RpcTransport[]): RpcTransport {
  if (transports.length === 0) throw new CoffreError('COFFRE_INVALID_CONFIG', 'at least one Solana RPC URL is required')
  return (async (config) => {
    let lastError: unknown
    for (const transport of transports) {
      if (config.signal?.aborted === true) break
      try {
        return await transport(config)
      } catch (error) {
        lastError = error
      }
    }
    throw toRpcError(lastError ?? new Error('aborted'), 'solana', 'request')
  }) as RpcTransport
}

export function createSolanaChain(config: SolanaChainConfig): SolanaChain {
  const transports = config.rpcUrls.map((url) =>
    clusterChecked(withTimeout(createDefaultRpcTransport({ url: url as `http${string}` }), config.requestTimeoutMs), url, config.genesisHash),
  )
  return Object.freeze({ config, rpc: createSolanaRpcFromTransport(fallbackTransport(transports)) as SolanaRpc })
}

/**
 * Builds the client and checks each URL's genesis hash now (when one is configured):
 * `chain-mismatch` for a URL of another cluster, `rpc-failed` when none answers.
 */
export async function connectSolana(config: SolanaChainConfig): Promise<SolanaChain & { unreachable: readonly string[] }> {
  const unreachable: string[] = []
  for (const url of config.rpcUrls) {
    const transport = withTimeout(createDefaultRpcTransport({ url: url as `http${string}` }), config.requestTimeoutMs)
    let result: unknown
    try {
      result = (await transport<{ result?: unknown }>({ payload: { jsonrpc: '2.0', id: 0, method: 'getGenesisHash', params: [] } })).result
    } catch {
      unreachable.push(redactUrlsIn(url))
      continue
    }
    if (config.genesisHash !== undefined && result !== config.genesisHash) throw genesisMismatch(url, config.genesisHash, String(result))
  }
  if (unreachable.length === config.rpcUrls.length) {
    throw toRpcError(new Error(`no RPC endpoint answered (${unreachable.join(', ')})`), 'solana', 'getGenesisHash')
  }
  return { ...createSolanaChain(config), unreachable: Object.freeze(unreachable) }
}
