/**
 * A separate Coffre process for the nonce-safety test: opens the shared PostgreSQL store, waits
 * for the common start time, submits `count` native transfers from one address concurrently
 * through the EVM outbox, and prints [[id, nonce], …] as JSON on stdout.
 */
import { privateKeyToAccount } from 'viem/accounts'
import { parseChainConfig } from '../../../src/chain/chainConfig.ts'
import { createPolygonClient } from '../../../src/chain/rpc/evmClient.ts'
import { nativeTransferCall } from '../../../src/chain/tx/evmCalls.ts'
import { createEvmSender } from '../../../src/chain/tx/evmSender.ts'
import { createSqlEvmOutboxStore } from '../../../src/store/chain/evmOutboxStore.ts'
import { openStore } from '../../../src/store/openStore.ts'

type Args = { databaseUrl: string; rpcUrl: string; chainId: number; contracts: Record<string, string>; privateKey: `0x${string}`; prefix: string; count: number; startAt: number; to: `0x${string}` }

const args = JSON.parse(process.argv[2] ?? '{}') as Args
const store = await openStore({ kind: 'postgres', url: args.databaseUrl, maxConnections: 20 })
try {
  const config = parseChainConfig({ polygon: { rpcUrls: [args.rpcUrl], chainId: args.chainId, contracts: args.contracts, confirmations: 1 } }).polygon!
  const account = privateKeyToAccount(args.privateKey)
  const sender = createEvmSender({ polygon: createPolygonClient(config), store: createSqlEvmOutboxStore(store.db, store.dialect), signerFor: () => account, tuning: { pollMs: 0 } })
  while (Date.now() < args.startAt) await new Promise((resolve) => setTimeout(resolve, 5))
  const sent = await Promise.all(
    Array.from({ length: args.count }, (_, i) => sender.submit({ id: `${args.prefix}-${i}`, from: account.address, call: nativeTransferCall(args.to, BigInt(i + 1)) })),
  )
  process.stdout.write(JSON.stringify(sent.map((tx) => [tx.id, tx.nonce, tx.state])))
} finally {
  await store.close()
}
