/**
 * Wallet creation throughput: Coffre (one worker per core, fully derived users: mnemonic entropy,
 * EVM + Solana accounts, identity key, address re-checks) against the peer a bot would otherwise
 * use — ethers `Wallet.createRandom()` (mnemonic + m/44'/60'/0'/0/0) plus @solana/web3.js
 * `Keypair.generate()` — measured in the same run, interleaved, medians of several rounds.
 * Target: ≥ 5× the peer, and ≥ 875 users/s on 2 cores.
 *   node --import tsx bench/wallet.ts [rounds]
 */
import { availableParallelism, loadavg } from 'node:os'
import { Keypair } from '@solana/web3.js'
import { Wallet } from 'ethers'
import { createWalletMaterial, wipeWalletMaterial } from '../src/wallet/walletMaterial.ts'
import { WalletWorkerPool } from '../src/wallet/walletWorkerPool.ts'

const rounds = Number(process.argv[2] ?? 5)
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

const cpuPerUser: Record<'peer' | 'single', number[]> = { peer: [], single: [] }

/** Wall-clock rate, and CPU µs per user (this thread only runs it; less sensitive to a busy machine). */
function perSecond(count: number, run: () => void, cpu: number[]): number {
  const start = performance.now()
  const cpuStart = process.cpuUsage()
  run()
  const used = process.cpuUsage(cpuStart)
  cpu.push((used.user + used.system) / count)
  return (count / (performance.now() - start)) * 1000
}

async function perSecondAsync(count: number, run: () => Promise<void>): Promise<number> {
  const start = performance.now()
  await run()
  return (count / (performance.now() - start)) * 1000
}

const loadAtStart = loadavg()[0]?.toFixed(1)
const pool = new WalletWorkerPool()
await pool.warmUp()

const peer: number[] = []
const single: number[] = []
const pooled: number[] = []
for (let round = 0; round < rounds; round++) {
  peer.push(
    perSecond(100, () => {
      for (let i = 0; i < 100; i++) {
        Wallet.createRandom()
        Keypair.generate()
      }
    }, cpuPerUser.peer),
  )
  single.push(
    perSecond(300, () => {
      for (let i = 0; i < 300; i++) wipeWalletMaterial(createWalletMaterial({ words: 12 }))
    }, cpuPerUser.single),
  )
  pooled.push(
    await perSecondAsync(2000, async () => {
      for (const material of await pool.createBatch(2000, { words: 12 })) wipeWalletMaterial(material)
    }),
  )
}
await pool.close()

const peerRate = median(peer)
const poolRate = median(pooled)
const rows = [
  ['ethers createRandom + web3.js Keypair.generate (1 thread)', peerRate],
  ['Coffre createWalletMaterial (1 thread)', median(single)],
  [`Coffre createWalletMaterialBatch (${pool.size} workers)`, poolRate],
] as const
console.log(`wallet creation, users/s, median of ${rounds} rounds, ${availableParallelism()} cores, load average at start ${loadAtStart}`)
for (const [name, rate] of rows) console.log(`  ${name.padEnd(62)} ${rate.toFixed(0).padStart(7)}   ×${(rate / peerRate).toFixed(2)} vs peer`)
const peerCpu = median(cpuPerUser.peer)
const singleCpu = median(cpuPerUser.single)
console.log(`  CPU per user: peer ${peerCpu.toFixed(0)} µs, Coffre ${singleCpu.toFixed(0)} µs (×${(peerCpu / singleCpu).toFixed(2)} less per core)`)
console.log(`  target: ≥ 5× peer (${(5 * peerRate).toFixed(0)}/s here) and ≥ 875/s on 2 cores → ${poolRate >= 5 * peerRate && poolRate >= 875 ? 'met' : 'NOT met'}`)
