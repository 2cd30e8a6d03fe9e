/**
 * Core benchmark (issue: storage, encryption, users), on SQLite and on PostgreSQL:
 * - users provisioned per second end to end (mnemonic → both wallets → encrypted → stored →
 *   audited), bulk and one at a time, next to ethers `Wallet.createRandom()` + @solana/web3.js
 *   `Keypair.generate()` measured in the same run (target: bulk ≥ 5× the peer);
 * - EIP-712 signatures per second through the vault (decrypt + hash + sign + audited) next to viem's
 *   `signTypedData` on a plain key (target ≥ 5×);
 * - envelope encrypt/decrypt per second next to raw node:crypto AES-256-GCM (target ≥ 50%);
 * - peak RSS while provisioning `--users` users (default 100,000).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Keypair } from '@solana/web3.js'
import { Wallet } from 'ethers'
import { privateKeyToAccount } from 'viem/accounts'
import type { VaultConfig } from '../src/config.ts'
import { openVault, type Vault } from '../src/vault/openVault.ts'
import { startPostgresServer } from '../test/support/postgres.ts'
import { median, ratePerSecond, type BenchFigure } from './figures.ts'
import { contextOf } from '../src/vault/internals.ts'

export type CoreBenchOptions = { rounds?: number; users?: number; engines?: ('sqlite' | 'postgres')[]; log?: (line: string) => void }

const typedData = {
  domain: { name: 'Polymarket CTF Exchange', version: '2', chainId: 137, verifyingContract: '0xE111180000d2663C0091e4f400237545B87B996B' },
  types: { Mail: [{ name: 'from', type: 'address' }, { name: 'contents', type: 'string' }, { name: 'amount', type: 'uint256' }] },
  primaryType: 'Mail',
  message: { from: '0x9858EfFD232B4033E47d90003D41EC34EcaEda94', contents: 'coffre benchmark', amount: '1000000' },
} as const

export async function runCoreBench(options: CoreBenchOptions = {}): Promise<{ figures: BenchFigure[] }> {
  const rounds = options.rounds ?? 5
  const log = options.log ?? (() => {})
  const figures: BenchFigure[] = []

  // Peer: what a bot would otherwise do per user.
  const peer = await ratePerSecond(rounds, 40, (n) => {
    for (let i = 0; i < n; i++) {
      Wallet.createRandom()
      Keypair.generate()
    }
  })
  figures.push({ name: 'peer: ethers createRandom + web3.js Keypair.generate', value: peer, unit: 'users/s' })
  log(`peer ${peer.toFixed(0)} users/s`)

  const account = privateKeyToAccount(`0x${randomBytes(32).toString('hex')}`)
  const viemRate = await ratePerSecond(rounds, 300, async (n) => {
    for (let i = 0; i < n; i++) await account.signTypedData(typedData as never)
  })
  figures.push({ name: 'peer: viem signTypedData (plain key)', value: viemRate, unit: 'sigs/s' })

  const pg = (options.engines ?? ['sqlite', 'postgres']).includes('postgres') ? await startPostgresServer() : undefined
  try {
    for (const engine of options.engines ?? ['sqlite', 'postgres']) {
      const dir = mkdtempSync(join(tmpdir(), 'coffre-bench-'))
      const store: VaultConfig['store'] = engine === 'sqlite' ? { kind: 'sqlite', dataDir: dir } : { kind: 'postgres', url: await createDatabase(pg!.adminUrl, `bench_${Date.now()}`) }
      const vault = await openVault({ store, rootKey: { kind: 'local', masterKey: new Uint8Array(randomBytes(32)) }, mnemonicWords: 12 })
      try {
        await vault.users.warmUp()
        let next = 1
        const bulk = await ratePerSecond(rounds, 400, async (n) => {
          await vault.users.ensureMany(Array.from({ length: n }, () => ({ telegramUserId: next++ })))
        })
        figures.push({ name: `${engine}: users provisioned, bulk`, value: bulk, unit: 'users/s', baseline: 'peer', ratio: bulk / peer, target: '≥ 5× peer' })
        const single = await ratePerSecond(rounds, 60, async (n) => {
          for (let i = 0; i < n; i++) await vault.users.create({ telegramUserId: next++ })
        })
        figures.push({ name: `${engine}: users provisioned, one at a time`, value: single, unit: 'users/s', baseline: 'peer', ratio: single / peer })
        log(`${engine}: bulk ${bulk.toFixed(0)}/s, single ${single.toFixed(0)}/s`)

        const signers = (await vault.users.list({ limit: 64 })).users.map((u) => ({ id: u.id }))
        const signRate = await ratePerSecond(rounds, 4000, async (n) => {
          let cursor = 0
          await Promise.all(
            signers.map(async () => {
              while (cursor < n) {
                const ref = signers[cursor++ % signers.length]!
                await vault.sign.typedData(ref, typedData)
              }
            }),
          )
        })
        figures.push({ name: `${engine}: EIP-712 via vault (decrypt+hash+sign+audit, 64 in flight)`, value: signRate, unit: 'sigs/s', baseline: 'viem signTypedData', ratio: signRate / viemRate, target: '≥ 5× viem' })
        log(`${engine}: sign ${signRate.toFixed(0)}/s`)
        if (engine === 'sqlite') figures.push(...(await envelopeFigures(vault, rounds)))
      } finally {
        await vault.close()
        rmSync(dir, { recursive: true, force: true })
      }
    }
    if (options.users !== 0) figures.push(await peakMemory(options.users ?? 100_000, log))
  } finally {
    await pg?.stop()
  }
  return { figures }
}

async function envelopeFigures(vault: Vault, rounds: number): Promise<BenchFigure[]> {
  const key = randomBytes(32)
  const plaintext = randomBytes(66)
  const aad = Buffer.from('["cf1","dk_x","wallets","private_key_ciphertext","user:x"]')
  const place = { table: 'wallets', column: 'private_key_ciphertext', row: 'user:bench|chain:polygon|address:0x0' }
  const count = 50_000
  const rawEncrypt: number[] = []
  const rawDecrypt: number[] = []
  const envEncrypt: number[] = []
  const envDecrypt: number[] = []
  const time = (fn: () => void) => {
    const start = performance.now()
    fn()
    return (count / (performance.now() - start)) * 1000
  }
  for (let r = 0; r < rounds; r++) {
    let sealed: Buffer[] = []
    rawEncrypt.push(time(() => {
      sealed = []
      for (let i = 0; i < count; i++) {
        const nonce = randomBytes(12)
        const cipher = createCipheriv('aes-256-gcm', key, nonce)
        cipher.setAAD(aad)
        sealed.push(Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]))
      }
    }))
    rawDecrypt.push(time(() => {
      for (const s of sealed) {
        const decipher = createDecipheriv('aes-256-gcm', key, s.subarray(0, 12))
        decipher.setAAD(aad)
        decipher.setAuthTag(s.subarray(s.length - 16))
        Buffer.concat([decipher.update(s.subarray(12, s.length - 16)), decipher.final()])
      }
    }))
    const sealer = contextOf(vault).keyring.sealer()
    let values: string[] = []
    envEncrypt.push(time(() => {
      values = []
      for (let i = 0; i < count; i++) values.push(sealer.seal(plaintext, place))
    }))
    // decrypt is async (a data key may need unwrapping); measure it the way callers use it.
    const start = performance.now()
    for (const value of values) await contextOf(vault).keyring.decrypt(value, place)
    envDecrypt.push((count / (performance.now() - start)) * 1000)
  }
  const enc = median(envEncrypt)
  const dec = median(envDecrypt)
  return [
    { name: 'raw node:crypto AES-256-GCM encrypt (66 B)', value: median(rawEncrypt), unit: 'ops/s' },
    { name: 'raw node:crypto AES-256-GCM decrypt (66 B)', value: median(rawDecrypt), unit: 'ops/s' },
    { name: 'envelope encrypt (cf1 field, associated data)', value: enc, unit: 'ops/s', baseline: 'raw encrypt', ratio: enc / median(rawEncrypt), target: '≥ 0.5× raw' },
    { name: 'envelope decrypt (cf1 field, associated data)', value: dec, unit: 'ops/s', baseline: 'raw decrypt', ratio: dec / median(rawDecrypt), target: '≥ 0.5× raw' },
  ]
}

async function peakMemory(users: number, log: (line: string) => void): Promise<BenchFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'coffre-bench-mem-'))
  const vault = await openVault({ store: { kind: 'sqlite', dataDir: dir }, rootKey: { kind: 'local', masterKey: new Uint8Array(randomBytes(32)) }, mnemonicWords: 12 })
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50)
  try {
    for (let done = 0; done < users; done += 1000) {
      await vault.users.ensureMany(Array.from({ length: Math.min(1000, users - done) }, (_, i) => ({ telegramUserId: 10_000_000 + done + i })))
      if (done % 20_000 === 0) log(`memory run: ${done} users`)
    }
  } finally {
    clearInterval(timer)
    await vault.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return { name: `peak RSS while provisioning ${users.toLocaleString('en-US')} users (SQLite)`, value: peak / 2 ** 20, unit: 'MiB' }
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  await client.query(`create database ${name}`)
  await client.end()
  return adminUrl.replace(/\/postgres$/, `/${name}`)
}

