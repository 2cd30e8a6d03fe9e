/**
 * Rotation benchmark on a private PostgreSQL: N synthetic secrets (keyring ciphertexts, bulk
 * INSERTs), then a data-key rotation while a signing-shaped load (read a wallet row, decrypt its key,
 * ECDSA-sign, group-commit an audit row — what useWalletKey does) runs concurrently; then a root-key
 * rotation on the same vault. Figures: secrets re-encrypted per second, failed load requests, load
 * p50/p99 during rotation vs. before it (the peer measured in the same run), root rotation time.
 *
 *   npx tsx bench/rotation.ts [--secrets 1000000] [--workers 2] [--batch-size 2000] [--json]
 */
import { randomBytes } from 'node:crypto'
import { Keyring } from '../src/vault/keyring/keyring.ts'
import { openLocalKeyProvider } from '../src/keyProviders/local.ts'
import { secp256k1 } from '../src/crypto/secp256k1.ts'
import { rotateRootKey } from '../src/vault/rotation/rotateRootKey.ts'
import { runDataKeyRotation } from '../src/vault/rotation/runDataKeyRotation.ts'
import { AuditGroupWriter } from '../src/store/audit/groupWriter.ts'
import { openStore } from '../src/store/openStore.ts'
import { walletKeyPlace } from '../src/vault/places.ts'
import { startPostgresServer } from '../test/support/postgres.ts'
import { insertSyntheticUsers, SECRETS_PER_SYNTHETIC_USER } from '../test/support/syntheticSecrets.ts'
import type { BenchFigure } from './figures.ts'
import { createDataKeyStore } from '../src/store/dataKeyStore.ts'

export type RotationBenchOptions = { readonly secrets?: number; readonly workers?: number; readonly batchSize?: number; readonly loadConcurrency?: number }

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0

export async function runRotationBench(options: RotationBenchOptions = {}): Promise<{ figures: BenchFigure[] }> {
  const secrets = options.secrets ?? 1_000_000
  const users = Math.ceil(secrets / SECRETS_PER_SYNTHETIC_USER)
  const server = await startPostgresServer()
  const pg = await import('pg')
  const admin = new pg.default.Client({ connectionString: server.adminUrl })
  await admin.connect()
  await admin.query('create database coffre_bench')
  await admin.end()
  const store = await openStore({ kind: 'postgres', url: server.adminUrl.replace(/\/postgres$/, '/coffre_bench'), maxConnections: 20 })
  const figures: BenchFigure[] = []
  try {
    const rootKey = new Uint8Array(randomBytes(32))
    const keyring = await Keyring.open(createDataKeyStore(store.db), openLocalKeyProvider({ key: rootKey }))
    let t = performance.now()
    await insertSyntheticUsers(store.db, keyring, users, { batch: 2_000 })
    await store.db.executeQuery({ sql: 'analyze', parameters: [], query: { kind: 'RawNode' } } as never).catch(() => undefined)
    figures.push({ name: 'setup: synthetic secrets inserted', value: users * SECRETS_PER_SYNTHETIC_USER, unit: 'secrets' }, { name: 'setup: insert rate', value: Math.round((users * SECRETS_PER_SYNTHETIC_USER * 1000) / (performance.now() - t)), unit: 'secrets/s' })

    // The signing-shaped load over a sample of wallets.
    const sample = await store.db.selectFrom('wallets').select(['user_id', 'address']).where('chain', '=', 'polygon').limit(5_000).execute()
    const audit = new AuditGroupWriter(store.db, 'postgres')
    let failures = 0
    const latencies: number[] = []
    const signOnce = async () => {
      const pick = sample[Math.floor(Math.random() * sample.length)]!
      const started = performance.now()
      try {
        const row = await store.db.selectFrom('wallets').select('private_key_ciphertext').where('user_id', '=', pick.user_id).where('chain', '=', 'polygon').executeTakeFirstOrThrow()
        const key = await keyring.decrypt(row.private_key_ciphertext, walletKeyPlace(pick.user_id, 'polygon', pick.address))
        key[0] = 1 // synthetic bytes: make sure the scalar is in range
        secp256k1.ecdsaSign(randomBytes(32), key)
        key.fill(0)
        await audit.append({ action: 'key.use', actor: 'bench', userId: pick.user_id, subject: 'wallet:polygon', details: { purpose: 'bench' } })
        latencies.push(performance.now() - started)
      } catch {
        failures += 1
      }
    }
    const runLoad = (until: () => boolean) =>
      Promise.all(Array.from({ length: options.loadConcurrency ?? 8 }, async () => {
        while (!until()) await signOnce()
      }))

    const baselineEnd = performance.now() + 3_000
    await runLoad(() => performance.now() > baselineEnd)
    const baseline = latencies.splice(0).sort((a, b) => a - b)
    const baselineFailures = failures
    failures = 0

    // Peer: the crypto alone (decrypt + re-seal, no database), the ceiling for one core in this run.
    const peerRows = await store.db.selectFrom('wallets').select(['user_id', 'address', 'private_key_ciphertext']).where('chain', '=', 'polygon').limit(20_000).execute()
    const peerSealer = keyring.sealer()
    const peerStart = performance.now()
    for (const row of peerRows) {
      const place = walletKeyPlace(row.user_id, 'polygon', row.address)
      const key = await keyring.decrypt(row.private_key_ciphertext, place)
      peerSealer.seal(key, place)
      key.fill(0)
    }
    figures.push({ name: 'peer: decrypt + re-seal only (no database), one core', value: Math.round((peerRows.length * 1000) / (performance.now() - peerStart)), unit: 'secrets/s' })

    let rotating = true
    t = performance.now()
    const load = runLoad(() => !rotating)
    const summary = await runDataKeyRotation({ db: store.db, dialect: 'postgres', keyring, actor: 'bench' }, { workers: options.workers ?? 2, batchSize: options.batchSize ?? 2_000 })
    rotating = false
    await load
    await audit.drain()
    const during = latencies.splice(0).sort((a, b) => a - b)
    figures.push(
      { name: 'data-key rotation: secrets re-encrypted', value: summary.rewritten, unit: 'secrets' },
      { name: 'data-key rotation: rate', value: summary.secretsPerSecond, unit: 'secrets/s', target: '>= 30000' },
      { name: 'rotation rate / crypto-only peer', value: Number((summary.secretsPerSecond / Math.max(1, figures.find((f) => f.name.startsWith('peer'))!.value)).toFixed(2)), unit: 'x' },
      { name: 'data-key rotation: old key retired', value: summary.retired.length, unit: 'keys', target: '1' },
      { name: 'signing load during rotation: requests', value: during.length, unit: 'requests' },
      { name: 'signing load during rotation: failed', value: failures, unit: 'requests', target: '0' },
      { name: 'signing load during rotation: p50', value: Number(percentile(during, 50).toFixed(2)), unit: 'ms' },
      { name: 'signing load during rotation: p99', value: Number(percentile(during, 99).toFixed(2)), unit: 'ms' },
      { name: 'signing load before rotation (peer): p50', value: Number(percentile(baseline, 50).toFixed(2)), unit: 'ms' },
      { name: 'signing load before rotation (peer): p99', value: Number(percentile(baseline, 99).toFixed(2)), unit: 'ms' },
      { name: 'signing load before rotation (peer): failed', value: baselineFailures, unit: 'requests' },
      { name: 'p99 ratio during / before', value: Number((percentile(during, 99) / Math.max(0.001, percentile(baseline, 99))).toFixed(2)), unit: 'x' },
    )

    const rootRotation = await rotateRootKey({ db: store.db, dialect: 'postgres', actor: 'bench' }, keyring.provider, openLocalKeyProvider({ key: new Uint8Array(randomBytes(32)) }))
    figures.push({ name: `root-key rotation with ${users} users (${rootRotation.dataKeys} data keys)`, value: rootRotation.elapsedMs, unit: 'ms', target: '< 1000' })
    await keyring.close()
  } finally {
    await store.close()
    await server.stop()
  }
  return { figures }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2)
  const value = (flag: string) => {
    const i = args.indexOf(flag)
    return i >= 0 ? Number(args[i + 1]) : undefined
  }
  const options = Object.fromEntries(Object.entries({ secrets: value('--secrets'), workers: value('--workers'), batchSize: value('--batch-size') }).filter(([, v]) => v !== undefined))
  const { figures } = await runRotationBench(options)
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify({ figures })}\n`)
  else for (const f of figures) process.stdout.write(`${f.name.padEnd(58)} ${String(f.value).padStart(10)} ${f.unit}${f.target ? `  (target ${f.target})` : ''}\n`)
}
