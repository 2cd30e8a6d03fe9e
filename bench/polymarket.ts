/**
 * Benchmark of Polymarket V2 order building + signing on a plain key: Coffre's native path
 * (libsecp256k1 over viem's EIP-712 hashing) against viem's signTypedData and the official
 * @polymarket/clob-client-v2 OrderBuilder, measured in the same run (medians of several rounds).
 *
 *   npx tsx bench/polymarket.ts [--json] [--quick]
 *
 * Also `runPolymarketVaultBench`: the same orders built and signed through the vault (decrypt +
 * amounts + EIP-712 + sign + durable audit row), 64 in flight, vs the same peers in the same run.
 *
 * `ratio` is "times better than `baseline`" (value/baseline for rates). Targets: native ≥ 5× viem,
 * vault ≥ 5× viem.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as official from '@polymarket/clob-client-v2'
import { createWalletClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { polygon } from 'viem/chains'
import { buildLimitOrderV2, type LimitOrderArgs } from '../src/polymarket/buildOrderV2.ts'
import { exchangeAddress } from '../src/polymarket/contracts.ts'
import { privateKeySigner } from '../src/polymarket/evmSigner.ts'
import { limitOrderAmounts } from '../src/polymarket/orderAmounts.ts'
import { randomOrderSalt } from '../src/polymarket/orderSalt.ts'
import { BYTES32_ZERO, orderV2TypedData, type OrderV2 } from '../src/polymarket/orderV2.ts'
import { openVault } from '../src/vault/openVault.ts'
import { median, type BenchFigure } from './figures.ts'
import { contextOf } from '../src/vault/internals.ts'

export type PolymarketBenchOptions = { quick?: boolean; log?: (line: string) => void; /** Also run runPolymarketVaultBench (default true). */ vault?: boolean }

const KEY_HEX = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318' as const

/**
 * Operations per second of each contender: rounds interleave the contenders (A, B, C, A, B, C…)
 * so a load change on a shared machine hits all of them alike; the median round is kept.
 */
async function interleavedOpsPerSecond(rounds: number, ms: number, ops: ((i: number) => Promise<unknown>)[]): Promise<number[]> {
  const rates: number[][] = ops.map(() => [])
  let i = 0
  for (let r = 0; r < rounds; r++) {
    for (const [k, op] of ops.entries()) {
      const start = performance.now()
      let n = 0
      while (performance.now() - start < ms) {
        await op(i++)
        n++
      }
      rates[k]?.push((n * 1000) / (performance.now() - start))
    }
  }
  return rates.map(median)
}

function orderArgs(i: number): LimitOrderArgs {
  return { tokenId: String(1_000_000 + i), side: i % 2 === 0 ? 'BUY' : 'SELL', price: 0.01 + (i % 98) / 100, size: 10 + (i % 1000) / 100, tickSize: '0.01', negRisk: i % 3 === 0, chainId: 137 }
}

/** The plain-key peers both runs compare against: viem signTypedData and the official OrderBuilder. */
function plainKeyPeers() {
  const account = privateKeyToAccount(KEY_HEX)
  const wallet = createWalletClient({ account, chain: polygon, transport: http('http://127.0.0.1:1') })
  const builder = new official.OrderBuilder(wallet as never, 137)
  const viaViem = async (i: number) => {
    const args = orderArgs(i)
    const order: OrderV2 = {
      salt: randomOrderSalt(), maker: account.address, signer: account.address, tokenId: args.tokenId, ...limitOrderAmounts(args),
      side: args.side, signatureType: 0, timestamp: String(Date.now()), metadata: BYTES32_ZERO, builder: BYTES32_ZERO, expiration: '0',
    }
    return account.signTypedData(orderV2TypedData(order, 137, exchangeAddress(137, args.negRisk)))
  }
  const viaOfficial = (i: number) => {
    const args = orderArgs(i)
    return builder.buildOrder({ tokenID: args.tokenId, price: args.price, size: args.size, side: args.side as official.Side }, { tickSize: '0.01', negRisk: args.negRisk }, 2)
  }
  return { viaViem, viaOfficial }
}

export async function runPolymarketBench(options: PolymarketBenchOptions = {}): Promise<{ figures: BenchFigure[] }> {
  const log = options.log ?? (() => undefined)
  const rounds = options.quick ? 3 : 5
  const ms = options.quick ? 300 : 1000
  const signer = privateKeySigner(Buffer.from(KEY_HEX.slice(2), 'hex'))
  const { viaViem, viaOfficial } = plainKeyPeers()

  for (let i = 0; i < 200; i++) await buildLimitOrderV2(signer, orderArgs(i)) // warm-up

  log('native (libsecp256k1) vs viem signTypedData vs official OrderBuilder, interleaved rounds')
  const native = (i: number) => buildLimitOrderV2(signer, orderArgs(i))
  const [nativeRate, viemRate, officialRate] = (await interleavedOpsPerSecond(rounds, ms, [native, viaViem, viaOfficial])) as [number, number, number]

  signer.destroy()
  const viaVault = options.vault === false ? [] : (await runPolymarketVaultBench({ ...options, vault: false })).figures
  return {
    figures: [
      { name: 'v2 orders built+signed, native libsecp256k1', value: Math.round(nativeRate), unit: 'orders/s' },
      { name: 'v2 orders built+signed, viem signTypedData', value: Math.round(viemRate), unit: 'orders/s' },
      { name: 'v2 orders built+signed, @polymarket/clob-client-v2 OrderBuilder', value: Math.round(officialRate), unit: 'orders/s' },
      { name: 'native vs viem', value: Math.round(nativeRate), unit: 'orders/s', baseline: 'viem signTypedData', ratio: Number((nativeRate / viemRate).toFixed(2)) },
      { name: 'native vs official client', value: Math.round(nativeRate), unit: 'orders/s', baseline: '@polymarket/clob-client-v2', ratio: Number((nativeRate / officialRate).toFixed(2)) },
      ...viaVault,
    ],
  }
}

/** Orders per second of `op` with `concurrency` calls in flight, over `ms`. */
async function concurrentOpsPerSecond(ms: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let i = 0
  let n = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() - start < ms) {
        await op(i++)
        n++
      }
    }),
  )
  return (n * 1000) / (performance.now() - start)
}

export type VaultBenchOptions = PolymarketBenchOptions & { concurrency?: number; users?: number }

/**
 * V2 orders built and signed through the vault (`vault.polymarket.orders.sign`: user lookup,
 * decrypt of the Polygon key, amounts, EIP-712, native sign, wipe, audit row group-committed and
 * durable before the reply) on a SQLite vault (WAL, synchronous=FULL), `concurrency` orders in
 * flight so group commit batches the audit rows — against viem signTypedData and the official
 * OrderBuilder on a plain key, one at a time, in interleaved rounds of the same run.
 */
export async function runPolymarketVaultBench(options: VaultBenchOptions = {}): Promise<{ figures: BenchFigure[] }> {
  const log = options.log ?? (() => undefined)
  const rounds = options.quick ? 3 : 5
  const ms = options.quick ? 300 : 1000
  const concurrency = options.concurrency ?? 64
  const dir = mkdtempSync(join(tmpdir(), 'coffre-bench-pm-'))
  const vault = await openVault({ store: { kind: 'sqlite', dataDir: dir }, rootKey: { kind: 'local', masterKey: new Uint8Array(randomBytes(32)) }, mnemonicWords: 12 })
  try {
    const users = await Promise.all(Array.from({ length: options.users ?? 16 }, (_, k) => vault.users.create({ telegramUserId: 9_000_000 + k })))
    const { viaViem, viaOfficial } = plainKeyPeers()
    const viaVault = (i: number) => {
      const args = orderArgs(i)
      return vault.polymarket.orders.sign({ id: (users[i % users.length] as { id: string }).id }, { tokenId: args.tokenId, side: args.side, price: args.price, size: args.size, tickSize: '0.01', negRisk: args.negRisk }, { actor: 'bench' })
    }
    await concurrentOpsPerSecond(200, concurrency, viaVault) // warm-up
    log(`vault (SQLite, ${concurrency} in flight, audit group commit) vs viem signTypedData vs official OrderBuilder (plain key, sequential), interleaved rounds`)
    const vaultRates: number[] = []
    const viemRates: number[] = []
    const officialRates: number[] = []
    for (let r = 0; r < rounds; r++) {
      vaultRates.push(await concurrentOpsPerSecond(ms, concurrency, viaVault))
      viemRates.push(await concurrentOpsPerSecond(ms, 1, viaViem))
      officialRates.push(await concurrentOpsPerSecond(ms, 1, viaOfficial))
    }
    const [vaultRate, viemRate, officialRate] = [median(vaultRates), median(viemRates), median(officialRates)]
    const audited = Number((await contextOf(vault).store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'key.use').executeTakeFirstOrThrow()).n)
    log(`audit rows written (one per order): ${audited}`)
    return {
      figures: [
        { name: `v2 orders built+signed through the vault (decrypt + amounts + EIP-712 + sign + durable audit), ${concurrency} in flight`, value: Math.round(vaultRate), unit: 'orders/s' },
        { name: 'vault vs viem signTypedData (plain key)', value: Math.round(vaultRate), unit: 'orders/s', baseline: 'viem signTypedData', ratio: Number((vaultRate / viemRate).toFixed(2)) },
        { name: 'vault vs official OrderBuilder (plain key)', value: Math.round(vaultRate), unit: 'orders/s', baseline: '@polymarket/clob-client-v2', ratio: Number((vaultRate / officialRate).toFixed(2)) },
      ],
    }
  } finally {
    await vault.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const json = process.argv.includes('--json')
  const quick = process.argv.includes('--quick')
  const log = json ? undefined : (line: string) => console.error(line)
  const result = await runPolymarketBench({ quick, ...(log === undefined ? {} : { log }) })
  if (json) console.log(JSON.stringify(result, null, 2))
  else for (const f of result.figures) console.log(`${f.name}: ${f.value} ${f.unit}${f.ratio === undefined ? '' : ` (${f.ratio}× ${f.baseline})`}`)
}
