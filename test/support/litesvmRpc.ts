/**
 * A Solana JSON-RPC server for tests, backed by an in-process LiteSVM (litesvmLedger.ts). It
 * implements only the methods Coffre calls — getGenesisHash, getSlot, getBlockHeight,
 * getLatestBlockhash, getMultipleAccounts, sendTransaction (with and without preflight),
 * getSignatureStatuses, getSignaturesForAddress, getTransaction — plus getBalance and
 * requestAirdrop for tests; anything else is JSON-RPC error -32601, so a new call in Coffre shows
 * up here.
 * Everything is final at once (`finalized`). Large integers are written as JSON numbers.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { address } from '@solana/kit'
import { LiteSvmLedger, type LedgerEntry } from './litesvmLedger.ts'

export type LiteSvmRpc = Readonly<{
  url: string
  ledger: LiteSvmLedger
  genesisHash: string
  /** Method names served so far, in order (what Coffre really calls). */
  calls: string[]
  stop(): Promise<void>
}>

class RpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message)
  }
}

export const LITESVM_GENESIS_HASH = 'LiteSVMGenesis11111111111111111111111111111'

/** JSON with bigints as plain numbers (Solana RPC numbers may exceed 2^53). */
function toJson(value: unknown): string {
  const marked = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `__big__${v}` : v))
  return marked.replace(/"__big__(-?\d+)"/g, '$1')
}

function accountJson(ledger: LiteSvmLedger, key: string): unknown {
  const account = ledger.svm.getAccount(address(key))
  if (!account.exists) return null
  return {
    data: [Buffer.from(account.data).toString('base64'), 'base64'],
    executable: account.executable,
    lamports: account.lamports,
    owner: account.programAddress,
    rentEpoch: 18446744073709551615n,
    space: account.data.length,
  }
}

function transactionJson(entry: LedgerEntry): unknown {
  return {
    slot: entry.slot,
    blockTime: entry.blockTime,
    version: entry.version,
    transaction: {
      signatures: entry.signatures,
      message: {
        accountKeys: entry.accountKeys,
        header: entry.header,
        instructions: entry.instructions,
        recentBlockhash: entry.recentBlockhash,
        ...(entry.version === 0 ? { addressTableLookups: [] } : {}),
      },
    },
    meta: {
      err: entry.err,
      status: entry.err === null ? { Ok: null } : { Err: entry.err },
      fee: 5000n * BigInt(entry.header.numRequiredSignatures),
      preBalances: entry.preBalances,
      postBalances: entry.postBalances,
      preTokenBalances: entry.preTokenBalances,
      postTokenBalances: entry.postTokenBalances,
      innerInstructions: [],
      logMessages: entry.logs,
      loadedAddresses: { writable: [], readonly: [] },
      rewards: [],
      computeUnitsConsumed: entry.computeUnits,
    },
  }
}

type Params = unknown[]
const context = (ledger: LiteSvmLedger) => ({ slot: ledger.slot, apiVersion: '2.2.0' })
const option = (params: Params, index: number): Record<string, unknown> => (params[index] ?? {}) as Record<string, unknown>

function handle(ledger: LiteSvmLedger, method: string, params: Params): unknown {
  switch (method) {
    case 'getGenesisHash':
      return LITESVM_GENESIS_HASH
    case 'getSlot':
    case 'getBlockHeight':
      return ledger.slot
    case 'getLatestBlockhash':
      return { context: context(ledger), value: ledger.latestBlockhash() }
    case 'getBalance':
      return { context: context(ledger), value: ledger.svm.getBalance(address(String(params[0]))) ?? 0n }
    case 'getMultipleAccounts':
      return { context: context(ledger), value: (params[0] as string[]).map((key) => accountJson(ledger, key)) }
    case 'requestAirdrop':
      return ledger.airdrop(address(String(params[0])), BigInt(params[1] as number))
    case 'sendTransaction': {
      const config = option(params, 1)
      const wire = config.encoding === 'base64' ? Buffer.from(String(params[0]), 'base64') : undefined
      if (wire === undefined) throw new RpcError(-32602, 'the test adapter takes base64 transactions only')
      const outcome = ledger.send(new Uint8Array(wire), { preflight: config.skipPreflight !== true })
      if ('preflightError' in outcome) {
        throw new RpcError(-32002, 'Transaction simulation failed', { err: outcome.preflightError, logs: outcome.logs, accounts: null, unitsConsumed: 0, returnData: null })
      }
      return outcome.signature
    }
    case 'getSignatureStatuses':
      return {
        context: context(ledger),
        value: (params[0] as string[]).map((signature) => {
          const entry = ledger.entries.get(signature)
          return entry === undefined ? null : { slot: entry.slot, confirmations: null, err: entry.err, status: entry.err === null ? { Ok: null } : { Err: entry.err }, confirmationStatus: 'finalized' }
        }),
      }
    case 'getSignaturesForAddress': {
      const config = option(params, 1)
      const all = [...(ledger.byAddress.get(String(params[0])) ?? [])].reverse()
      let start = 0
      if (typeof config.before === 'string') start = all.indexOf(config.before) + 1
      let end = all.length
      if (typeof config.until === 'string') {
        const at = all.indexOf(config.until)
        if (at >= 0) end = at
      }
      const limit = typeof config.limit === 'number' ? config.limit : 1000
      return all.slice(start, Math.max(start, end)).slice(0, limit).map((signature) => {
        const entry = ledger.entries.get(signature)!
        return { signature, slot: entry.slot, err: entry.err, memo: null, blockTime: entry.blockTime, confirmationStatus: 'finalized' }
      })
    }
    case 'getTransaction': {
      const entry = ledger.entries.get(String(params[0]))
      const config = option(params, 1)
      if (entry === undefined) return null
      if (entry.version === 0 && config.maxSupportedTransactionVersion === undefined) {
        throw new RpcError(-32015, 'Transaction version (0) is not supported by the requesting client')
      }
      if (config.encoding !== undefined && config.encoding !== 'json') throw new RpcError(-32602, 'the test adapter returns json encoding only')
      return transactionJson(entry)
    }
    default:
      throw new RpcError(-32601, `Method not found: ${method}`)
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export async function startLiteSvmRpc(ledger: LiteSvmLedger = new LiteSvmLedger()): Promise<LiteSvmRpc> {
  const calls: string[] = []
  const answer = (message: { id?: unknown; method?: unknown; params?: unknown }) => {
    const id = message.id ?? null
    try {
      const method = String(message.method)
      calls.push(method)
      return { jsonrpc: '2.0', id, result: handle(ledger, method, Array.isArray(message.params) ? message.params : []) }
    } catch (error) {
      const rpc = error instanceof RpcError ? error : new RpcError(-32603, error instanceof Error ? error.message : String(error))
      return { jsonrpc: '2.0', id, error: { code: rpc.code, message: rpc.message, ...(rpc.data === undefined ? {} : { data: rpc.data }) } }
    }
  }
  const server: Server = createServer((request, response) => {
    readBody(request)
      .then((text) => {
        const payload = JSON.parse(text) as unknown
        const reply = Array.isArray(payload) ? payload.map(answer) : answer(payload as never)
        response.writeHead(200, { 'content-type': 'application/json' }).end(toJson(reply))
      })
      .catch(() => response.writeHead(400).end())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  return Object.freeze({
    url: `http://127.0.0.1:${port}`,
    ledger,
    genesisHash: LITESVM_GENESIS_HASH,
    calls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  })
}
