/**
 * One step of an outbox transaction's life, run by whichever worker leased it:
 * prepared → sign (deterministic: re-signing after a crash yields the same transaction) → signed
 * → broadcast → sent → receipt of any attempt → mined → N confirmations → confirmed | reverted.
 * A `sent` transaction that stays unmined past `stuckAfterMs` is replaced at the same nonce with
 * bumped fees (within the caps); otherwise it is rebroadcast as is (idempotent). A mined receipt
 * that disappears (reorg) sends the row back to `sent`. If the nonce was used by a transaction
 * that is none of ours, the row fails.
 */
import type { Hex } from 'viem'
import type { PolygonClient } from '../rpc/evmClient.ts'
import { rpcCall } from '../rpc/rpcError.ts'
import { broadcastRaw, findMinedAttempt, receiptOf } from './evmBroadcast.ts'
import { bumpFees, estimateEip1559Fees, type FeeCaps } from './evmFees.ts'
import type { EvmOutboxStore, EvmOutboxTx } from '../../store/chain/evmOutbox.ts'
import type { EvmTransactionSigner } from './signers.ts'
import { signAttempt } from './signAttempt.ts'

export type EvmSenderTuning = Readonly<{
  confirmations: number
  /** How long a broadcast attempt may stay unmined before it is replaced with higher fees. */
  stuckAfterMs: number
  /** Delay between checks of a sent or mined transaction. */
  pollMs: number
  leaseMs: number
}>

export type AdvanceDeps = Readonly<{
  client: PolygonClient
  store: EvmOutboxStore
  signerFor: (address: Hex) => EvmTransactionSigner | Promise<EvmTransactionSigner>
  caps: FeeCaps
  tuning: EvmSenderTuning
  now: () => number
}>

async function signAndRecord(deps: AdvanceDeps, tx: EvmOutboxTx): Promise<Hex | undefined> {
  const attempt = await signAttempt(await deps.signerFor(tx.from), tx, tx.fees, deps.now())
  const recorded = await deps.store.recordAttempt(tx.id, attempt, { from: ['prepared'], state: 'signed', sentAt: null, now: deps.now() })
  return recorded ? attempt.raw : (await deps.store.get(tx.id))?.raw ?? undefined
}

async function broadcastCurrent(deps: AdvanceDeps, id: string, raw: Hex): Promise<void> {
  await broadcastRaw(deps.client, raw)
  const now = deps.now()
  await deps.store.transition(id, ['signed'], { state: 'sent', sentAt: now, nextAttemptAt: now + deps.tuning.pollMs, lastError: null }, now)
}

async function checkSent(deps: AdvanceDeps, tx: EvmOutboxTx): Promise<void> {
  const hashes = (await deps.store.attempts(tx.id)).map((a) => a.txHash)
  let receipt = await findMinedAttempt(deps.client, hashes)
  if (receipt === undefined) {
    const used = await rpcCall('polygon', 'eth_getTransactionCount', () => deps.client.getTransactionCount({ address: tx.from, blockTag: 'latest' }))
    if (used > tx.nonce) {
      receipt = await findMinedAttempt(deps.client, hashes) // mined between the two reads?
      if (receipt === undefined) {
        await deps.store.transition(tx.id, ['sent'], { state: 'failed', lastError: `nonce ${tx.nonce} was used by another transaction` }, deps.now())
        return
      }
    }
  }
  const now = deps.now()
  if (receipt !== undefined) {
    await deps.store.transition(tx.id, ['sent'], { state: 'mined', blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, minedHash: receipt.transactionHash, nextAttemptAt: now, lastError: null }, now)
    return
  }
  if (tx.sentAt !== null && now - tx.sentAt >= deps.tuning.stuckAfterMs) {
    const bumped = bumpFees(tx.fees, await estimateEip1559Fees(deps.client, deps.caps).catch(() => tx.fees), deps.caps)
    if (bumped !== undefined) {
      const attempt = await signAttempt(await deps.signerFor(tx.from), tx, bumped, now)
      if (await deps.store.recordAttempt(tx.id, attempt, { from: ['sent'], state: 'sent', sentAt: now, now })) await broadcastRaw(deps.client, attempt.raw)
      await deps.store.transition(tx.id, ['sent'], { nextAttemptAt: now + deps.tuning.pollMs, lastError: null }, now)
      return
    }
  }
  if (tx.raw !== null) await broadcastRaw(deps.client, tx.raw)
  await deps.store.transition(tx.id, ['sent'], { nextAttemptAt: now + deps.tuning.pollMs }, now)
}

async function checkMined(deps: AdvanceDeps, tx: EvmOutboxTx): Promise<void> {
  const receipt = tx.minedHash === null ? undefined : await receiptOf(deps.client, tx.minedHash)
  const now = deps.now()
  if (receipt === undefined || receipt.blockHash !== tx.blockHash) {
    // Reorged out (or moved): back to sent; the next step finds the receipt again or rebroadcasts.
    await deps.store.transition(tx.id, ['mined'], { state: 'sent', sentAt: now, blockNumber: null, blockHash: null, minedHash: null, nextAttemptAt: now }, now)
    return
  }
  const head = await rpcCall('polygon', 'eth_blockNumber', () => deps.client.getBlockNumber({ cacheTime: 0 }))
  if (head - receipt.blockNumber + 1n >= BigInt(Math.max(1, deps.tuning.confirmations))) {
    await deps.store.transition(tx.id, ['mined'], { state: receipt.status === 'success' ? 'confirmed' : 'reverted', lastError: receipt.status === 'success' ? null : 'reverted on chain' }, now)
    return
  }
  await deps.store.transition(tx.id, ['mined'], { nextAttemptAt: now + deps.tuning.pollMs }, now)
}

export async function advanceEvmTransaction(deps: AdvanceDeps, tx: EvmOutboxTx): Promise<void> {
  switch (tx.state) {
    case 'prepared': {
      const raw = await signAndRecord(deps, tx)
      if (raw !== undefined) await broadcastCurrent(deps, tx.id, raw)
      return
    }
    case 'signed':
      if (tx.raw !== null) await broadcastCurrent(deps, tx.id, tx.raw)
      return
    case 'sent':
      return checkSent(deps, tx)
    case 'mined':
      return checkMined(deps, tx)
    default:
      return
  }
}
