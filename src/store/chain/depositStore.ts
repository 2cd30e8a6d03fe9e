/**
 * Deposits and deposit-scan checkpoints in SQL. A scan step's outcome is stored in one
 * transaction — deposits voided by a reorg become `reverted`, new ones are inserted (or a
 * reverted one confirmed again), and the checkpoint advances — and the resulting events are
 * handed to `onEvents` inside that same transaction (the webhook outbox enqueues them there), so
 * a deposit and its event are stored together or not at all. Each deposit is stored once: its
 * identity is (chain, tx, position, recipient, asset). The EVM checkpoint is saved with a
 * compare-and-set on its version, so two runners cannot both advance one scanner.
 */
import type { Kysely, Transaction } from 'kysely'
import { CoffreError } from '../../errors.ts'
import { newUuidV7 } from '../../ids.ts'
import type { EvmDeposit, EvmScanCheckpoint, EvmScanResult } from './evmDeposit.ts'
import type { SolanaAccountCheckpoint, SolanaDeposit } from './solanaDeposit.ts'
import type { Database } from '../schema.ts'

export type DepositEvent = Readonly<{
  type: 'deposit.confirmed' | 'deposit.reverted'
  depositId: string
  chain: string
  txRef: string
  asset: string
  from: string | null
  to: string
  amount: string
  blockNumber: string
  blockHash: string | null
}>

type OnEvents = (trx: Transaction<Database>, events: readonly DepositEvent[]) => Promise<void>
type Candidate = Omit<DepositEvent, 'type' | 'depositId'> & { position: number }

export type StoredEvmCheckpoint = Readonly<{ checkpoint: EvmScanCheckpoint; version: number }>

export async function loadEvmCheckpoint(db: Kysely<Database>, scanner: string): Promise<StoredEvmCheckpoint | undefined> {
  const row = await db.selectFrom('chain_evm_checkpoints').selectAll().where('scanner', '=', scanner).executeTakeFirst()
  if (row === undefined) return undefined
  const blocks = JSON.parse(row.recent_blocks) as [string, `0x${string}`][]
  return { checkpoint: { nextBlock: BigInt(row.next_block), recentBlocks: blocks.map(([n, hash]) => ({ number: BigInt(n), hash })) }, version: Number(row.version) }
}

async function saveEvmCheckpoint(trx: Transaction<Database>, scanner: string, chainId: number, checkpoint: EvmScanCheckpoint, expectedVersion: number | undefined, at: string): Promise<void> {
  const values = { next_block: Number(checkpoint.nextBlock), recent_blocks: JSON.stringify(checkpoint.recentBlocks.map((b) => [b.number.toString(), b.hash])), updated_at: at }
  const changed =
    expectedVersion === undefined
      ? Number((await trx.insertInto('chain_evm_checkpoints').values({ scanner, chain_id: chainId, version: 1, ...values }).onConflict((oc) => oc.column('scanner').doNothing()).executeTakeFirst()).numInsertedOrUpdatedRows ?? 0n)
      : Number((await trx.updateTable('chain_evm_checkpoints').set({ ...values, version: expectedVersion + 1 }).where('scanner', '=', scanner).where('version', '=', expectedVersion).executeTakeFirst()).numUpdatedRows)
  if (changed !== 1) throw new CoffreError('COFFRE_CONFLICT', `deposit scanner ${scanner} was advanced by another runner`, { details: { scanner } })
}

/** Inserts new deposits and re-confirms reverted ones; returns the events of what changed. */
async function upsertDeposits(trx: Transaction<Database>, candidates: readonly Candidate[], at: string): Promise<DepositEvent[]> {
  const events: DepositEvent[] = []
  for (const c of candidates) {
    const identity = trx
      .selectFrom('chain_deposits')
      .selectAll()
      .where('chain', '=', c.chain)
      .where('tx_ref', '=', c.txRef)
      .where('position', '=', c.position)
      .where('to_address', '=', c.to)
      .where('asset', '=', c.asset)
    const existing = await identity.executeTakeFirst()
    let id: string
    if (existing === undefined) {
      id = newUuidV7()
      await trx
        .insertInto('chain_deposits')
        .values({ id, chain: c.chain, tx_ref: c.txRef, position: c.position, asset: c.asset, from_address: c.from, to_address: c.to, amount: c.amount, block_number: Number(c.blockNumber), block_hash: c.blockHash, state: 'confirmed', created_at: at, updated_at: at })
        .execute()
    } else if (existing.state === 'reverted' || existing.block_hash !== c.blockHash) {
      id = existing.id
      await trx.updateTable('chain_deposits').set({ state: 'confirmed', block_number: Number(c.blockNumber), block_hash: c.blockHash, amount: c.amount, updated_at: at }).where('id', '=', id).execute()
    } else continue
    const { position: _position, ...event } = c
    events.push({ type: 'deposit.confirmed', depositId: id, ...event })
  }
  return events
}

const evmCandidate = (chain: string, d: EvmDeposit): Candidate => ({
  chain,
  txRef: d.txHash,
  position: d.logIndex ?? -1,
  asset: d.asset,
  from: d.from,
  to: d.to,
  amount: d.amount.toString(),
  blockNumber: d.blockNumber.toString(),
  blockHash: d.blockHash,
})

export async function recordEvmScan(
  db: Kysely<Database>,
  args: { scanner: string; chainId: number; expectedVersion: number | undefined; result: EvmScanResult; now?: Date; onEvents?: OnEvents },
): Promise<DepositEvent[]> {
  const at = (args.now ?? new Date()).toISOString()
  const chain = `polygon:${args.chainId}`
  return db.transaction().execute(async (trx) => {
    const events: DepositEvent[] = []
    const removed = args.result.reorg?.removedBlocks.map((b) => b.hash) ?? []
    if (removed.length > 0) {
      const voided = await trx.selectFrom('chain_deposits').selectAll().where('chain', '=', chain).where('state', '=', 'confirmed').where('block_hash', 'in', removed).execute()
      for (const row of voided) {
        await trx.updateTable('chain_deposits').set({ state: 'reverted', updated_at: at }).where('id', '=', row.id).execute()
        events.push({ type: 'deposit.reverted', depositId: row.id, chain, txRef: row.tx_ref, asset: row.asset, from: row.from_address, to: row.to_address, amount: row.amount, blockNumber: String(row.block_number), blockHash: row.block_hash })
      }
    }
    events.push(...(await upsertDeposits(trx, args.result.deposits.map((d) => evmCandidate(chain, d)), at)))
    await saveEvmCheckpoint(trx, args.scanner, args.chainId, args.result.checkpoint, args.expectedVersion, at)
    if (args.onEvents !== undefined && events.length > 0) await args.onEvents(trx, events)
    return events
  })
}

export async function loadSolanaCheckpoints(db: Kysely<Database>, accounts: readonly string[]): Promise<Map<string, SolanaAccountCheckpoint>> {
  const found = new Map<string, SolanaAccountCheckpoint>()
  for (let i = 0; i < accounts.length; i += 500) {
    const rows = await db.selectFrom('chain_solana_checkpoints').selectAll().where('account', 'in', accounts.slice(i, i + 500)).execute()
    for (const row of rows) found.set(row.account, { lastSignature: row.last_signature, balance: row.balance === null ? null : BigInt(row.balance) })
  }
  return found
}

/** Stores a Solana scan step: deposits (once each) and the moved account checkpoints. */
export async function recordSolanaScan(
  db: Kysely<Database>,
  args: { deposits: readonly SolanaDeposit[]; checkpoints: ReadonlyMap<string, SolanaAccountCheckpoint>; owners: ReadonlyMap<string, string>; now?: Date; onEvents?: OnEvents },
): Promise<DepositEvent[]> {
  const at = (args.now ?? new Date()).toISOString()
  return db.transaction().execute(async (trx) => {
    const candidates = args.deposits.map((d): Candidate => ({ chain: 'solana', txRef: d.signature, position: -1, asset: d.asset, from: null, to: d.owner, amount: d.amount.toString(), blockNumber: d.slot.toString(), blockHash: null }))
    const events = await upsertDeposits(trx, candidates, at)
    for (const [account, cp] of args.checkpoints) {
      const values = { owner: args.owners.get(account) ?? account, last_signature: cp.lastSignature, balance: cp.balance === null ? null : cp.balance.toString(), updated_at: at }
      await trx.insertInto('chain_solana_checkpoints').values({ account, ...values }).onConflict((oc) => oc.column('account').doUpdateSet(values)).execute()
    }
    if (args.onEvents !== undefined && events.length > 0) await args.onEvents(trx, events)
    return events
  })
}
