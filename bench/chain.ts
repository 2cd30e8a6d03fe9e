/**
 * Deposit scanning throughput against a real anvil with many users and transfers, in one run:
 * Coffre's scanner (Transfer logs with the recipients as topic OR-lists, chunked; blocks read for
 * native transfers) against the naive way (one eth_getLogs per user address over the same range).
 * Also the EVM outbox: transactions submitted per second (nonce + row + sign + store + broadcast)
 * on SQLite against anvil.
 *
 *   npx tsx bench/chain.ts [--json] [--quick]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseEther, type Address } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { scanEvmDeposits } from '../src/chain/deposits/scanEvmDeposits.ts'
import { TRANSFER_EVENT } from '../src/chain/deposits/scanErc20Transfers.ts'
import { nativeTransferCall } from '../src/chain/tx/evmCalls.ts'
import { createEvmSender } from '../src/chain/tx/evmSender.ts'
import { createSqlEvmOutboxStore } from '../src/store/chain/evmOutboxStore.ts'
import { openStore } from '../src/store/openStore.ts'
import { compiledContract } from '../test/chain/compileContracts.ts'
import { startPolygonFixture } from '../test/chain/polygonFixture.ts'
import { formatFigures, median, type BenchFigure } from './figures.ts'

export async function runChainBench(options: { quick?: boolean; log?: (line: string) => void } = {}): Promise<{ figures: BenchFigure[] }> {
  const log = options.log ?? (() => undefined)
  const users = options.quick ? 500 : 2_000
  const transfers = options.quick ? 300 : 1_000
  const emptyBlocks = options.quick ? 500 : 2_000
  const rounds = options.quick ? 2 : 3
  const fx = await startPolygonFixture({ confirmations: 0 })
  try {
    const recipients: Address[] = Array.from({ length: users }, () => privateKeyToAccount(generatePrivateKey()).address)
    const { pUsd, usdcE } = fx.config.contracts
    const abi = compiledContract('TestToken').abi
    log(`setting up ${users} users, ${transfers} token transfers, ${emptyBlocks} empty blocks`)
    const first = (await fx.test.getBlockNumber({ cacheTime: 0 })) + 1n
    await fx.test.setAutomine(false)
    let nonce = await fx.test.getTransactionCount({ address: fx.funder.address })
    for (let i = 0; i < transfers; i++) {
      await fx.wallet.writeContract({ address: i % 2 === 0 ? pUsd : usdcE, abi, functionName: 'mint', args: [recipients[(i * 7919) % users]!, BigInt(i + 1)], nonce: nonce++, gas: 100_000n })
      if (i % 50 === 49) await fx.test.mine({ blocks: 1 })
    }
    await fx.test.mine({ blocks: emptyBlocks })
    await fx.test.setAutomine(true)
    const head = await fx.test.getBlockNumber({ cacheTime: 0 })
    const blocks = Number(head - first + 1n)
    const checkpoint = { nextBlock: first, recentBlocks: [] }
    const base = { recipients, tokens: [pUsd, usdcE], confirmations: 0, maxBlocks: 1_000_000, reorgWindow: 256, logBlockRange: 2_000, logAddressBatch: 500 }

    const timed = async (run: () => Promise<number>): Promise<{ seconds: number; found: number }> => {
      const seconds: number[] = []
      let found = 0
      for (let r = 0; r < rounds; r++) {
        const start = performance.now()
        found = await run()
        seconds.push((performance.now() - start) / 1000)
      }
      return { seconds: median(seconds), found }
    }
    log('Coffre scanner, logs only')
    const logsOnly = await timed(async () => (await scanEvmDeposits(fx.polygon.client, checkpoint, { ...base, native: false })).deposits.length)
    log('Coffre scanner, logs + native block reads')
    const withNative = await timed(async () => (await scanEvmDeposits(fx.polygon.client, checkpoint, { ...base, native: true })).deposits.length)
    log('naive: one eth_getLogs per user')
    const naive = await timed(async () => {
      let found = 0
      for (const to of recipients) found += (await fx.polygon.client.getLogs({ address: [pUsd, usdcE], event: TRANSFER_EVENT, args: { to }, fromBlock: first, toBlock: head })).length
      return found
    })
    if (logsOnly.found !== transfers || naive.found !== transfers || withNative.found !== transfers) throw new Error(`scanners disagree: ${logsOnly.found}, ${withNative.found}, ${naive.found} of ${transfers}`)

    log('EVM outbox submits (SQLite)')
    const dir = mkdtempSync(join(tmpdir(), 'coffre-bench-chain-'))
    const store = await openStore({ kind: 'sqlite', dataDir: dir })
    const sender = privateKeyToAccount(generatePrivateKey())
    await fx.test.setBalance({ address: sender.address, value: parseEther('1000') })
    const outbox = createEvmSender({ polygon: fx.polygon, store: createSqlEvmOutboxStore(store.db, store.dialect), signerFor: () => sender })
    const count = options.quick ? 100 : 300
    const start = performance.now()
    for (let i = 0; i < count; i++) await outbox.submit({ id: `bench-${i}`, from: sender.address, call: { ...nativeTransferCall(recipients[i % users]!, 1n), gas: 21_000n } })
    const submitsPerSecond = (count * 1000) / (performance.now() - start)
    await store.close()
    rmSync(dir, { recursive: true, force: true })

    const rate = (n: number, s: number) => Math.round(n / s)
    return {
      figures: [
        { name: `deposit scan, logs (${users} users, ${blocks} blocks)`, value: rate(blocks, logsOnly.seconds), unit: 'blocks/s', baseline: 'naive getLogs per address', ratio: naive.seconds / logsOnly.seconds },
        { name: 'deposit scan, logs: transfers found', value: rate(transfers, logsOnly.seconds), unit: 'logs/s', baseline: 'naive getLogs per address', ratio: naive.seconds / logsOnly.seconds },
        { name: 'deposit scan, logs + native block reads', value: rate(blocks, withNative.seconds), unit: 'blocks/s', baseline: 'naive getLogs per address', ratio: naive.seconds / withNative.seconds },
        { name: 'naive getLogs per address', value: rate(blocks, naive.seconds), unit: 'blocks/s' },
        { name: 'EVM outbox submit (nonce+row+sign+store+broadcast)', value: Math.round(submitsPerSecond), unit: 'tx/s' },
      ],
    }
  } finally {
    await fx.stop()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2)
  const { figures } = await runChainBench({ quick: args.includes('--quick'), log: (line) => process.stderr.write(`${line}\n`) })
  process.stdout.write(args.includes('--json') ? `${JSON.stringify({ figures })}\n` : `${formatFigures(figures)}\n`)
  process.exit(0)
}
