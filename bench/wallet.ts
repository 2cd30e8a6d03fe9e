/**
 * Wallet creation throughput: Coffre (one worker per core, fully derived users: mnemonic entropy,
 * EVM + Solana accounts, identity key, address re-checks) against the peer a bot would otherwise
 * use — ethers `Wallet.createRandom()` (mnemonic + m/44'/60'/0'/0/0) plus @solana/web3.js
 * `Keypair.generate()` — measured in the same run, interleaved, medians of several rounds.
 * Target: ≥ 5× the peer, and ≥ 875 users/s on 2 cores. Then CPU µs per user for each stage of
 * createWalletMaterial on one thread (medians), to show where the time goes.
 *   node --import tsx bench/wallet.ts [rounds]
 */
import { availableParallelism, loadavg } from 'node:os'
import { Keypair } from '@solana/web3.js'
import { Wallet } from 'ethers'
import { generateEntropy } from '../src/wallet/entropy.ts'
import { deriveEvmPrivateKey } from '../src/wallet/evmAccount.ts'
import { evmAddressFromPrivateKey } from '../src/wallet/evmAddress.ts'
import { generateIdentityKey } from '../src/wallet/identityKey.ts'
import { entropyToMnemonic } from '../src/wallet/mnemonic.ts'
import { seedFromNormalizedMnemonic } from '../src/wallet/seed.ts'
import { deriveSolanaSecretKey, solanaAddressFromSecretKey } from '../src/wallet/solanaAccount.ts'
import { createWalletMaterial, verifyWalletMaterial, wipeWalletMaterial } from '../src/wallet/walletMaterial.ts'
import { WalletWorkerPool } from '../src/wallet/walletWorkerPool.ts'
import { median } from './figures.ts'

const rounds = Number(process.argv[2] ?? 5)

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

/** CPU µs per call of `run`, median of `rounds` (the worker pool is closed: only this thread runs). */
function cpuMicros(count: number, run: () => void): number {
  const samples: number[] = []
  for (let round = 0; round < rounds; round++) {
    const start = process.cpuUsage()
    for (let i = 0; i < count; i++) run()
    const used = process.cpuUsage(start)
    samples.push((used.user + used.system) / count)
  }
  return median(samples)
}

const sample = createWalletMaterial({ words: 12 })
const mnemonic = entropyToMnemonic(sample.entropy)
const seed = seedFromNormalizedMnemonic(mnemonic)
const stages = [
  ['entropy + mnemonic (randomBytes, @scure/bip39)', cpuMicros(1000, () => entropyToMnemonic(generateEntropy(12)))],
  ['seed: PBKDF2-HMAC-SHA512 × 2048 (node:crypto)', cpuMicros(300, () => seedFromNormalizedMnemonic(mnemonic).fill(0))],
  ["EVM path m/44'/60'/0'/0/0 (HMAC + libsecp256k1)", cpuMicros(1000, () => deriveEvmPrivateKey(seed).fill(0))],
  ['EVM address (public key, keccak, EIP-55)', cpuMicros(1000, () => evmAddressFromPrivateKey(sample.evm.privateKey))],
  ["Solana path m/44'/501'/0'/0' (SLIP-10, HMAC)", cpuMicros(1000, () => deriveSolanaSecretKey(seed).fill(0))],
  ['Ed25519 public key + base58 (node:crypto KeyObject)', cpuMicros(1000, () => solanaAddressFromSecretKey(sample.solana.secretKey))],
  ['identity key (randomBytes, libsecp256k1 public key)', cpuMicros(1000, () => generateIdentityKey().privateKey.fill(0))],
] as const
const total = cpuMicros(300, () => wipeWalletMaterial(createWalletMaterial({ words: 12 })))
const recheck = cpuMicros(1000, () => verifyWalletMaterial(sample))
seed.fill(0)
wipeWalletMaterial(sample)
const stageSum = stages.reduce((sum, [, micros]) => sum + micros, 0)
console.log(`CPU µs per user by stage (1 thread, median of ${rounds} rounds)`)
for (const [name, micros] of stages) console.log(`  ${name.padEnd(62)} ${micros.toFixed(0).padStart(7)}`)
console.log(`  ${'sum of stages'.padEnd(62)} ${stageSum.toFixed(0).padStart(7)}`)
console.log(`  ${'createWalletMaterial, measured whole'.padEnd(62)} ${total.toFixed(0).padStart(7)}`)
console.log(`  ${'(address re-check verifyWalletMaterial: off the creation path)'.padEnd(62)} ${recheck.toFixed(0).padStart(7)}`)
