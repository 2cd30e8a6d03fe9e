/**
 * The durable EVM transaction outbox's storage contract (SQL implementation:
 * src/store/chain/evmOutboxStore.ts). A request id owns one row and one nonce for good:
 * `prepare` hands out the nonce and writes the unsigned transaction in the same database
 * transaction, so a nonce is never lost or shared, even across processes on one PostgreSQL.
 * Every signed version (fee-bumped replacements at the same nonce) is kept as an attempt, so the
 * one that is mined is recognised whichever it is.
 */
import type { Address, Hex } from 'viem'

export type EvmTxState = 'prepared' | 'signed' | 'sent' | 'mined' | 'confirmed' | 'reverted' | 'failed'
export const FINAL_EVM_STATES: ReadonlySet<EvmTxState> = new Set(['confirmed', 'reverted', 'failed'])

export type EvmFees = Readonly<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }>

/** What a request asks to send, fixed when its row is written. */
export type EvmTxBody = Readonly<{
  chainId: number
  from: Address
  to: Address | null
  value: bigint
  data: Hex
  gas: bigint
  /** Fees of the current attempt. */
  fees: EvmFees
  /** SHA-256 of (chain, from, to, value, data): the same id with another intent is refused. */
  intentHash: string
}>

export type EvmOutboxTx = EvmTxBody &
  Readonly<{
    id: string
    nonce: number
    /** The current attempt, signed, and its hash (null while prepared). */
    raw: Hex | null
    txHash: Hex | null
    state: EvmTxState
    /** Work claims so far (each claim increments it). */
    attempts: number
    nextAttemptAt: number
    /** When the current attempt was first broadcast. */
    sentAt: number | null
    blockNumber: bigint | null
    blockHash: Hex | null
    /** The attempt that was mined. */
    minedHash: Hex | null
    lastError: string | null
    createdAt: number
    updatedAt: number
  }>

export type EvmTxAttempt = Readonly<{ txHash: Hex; raw: Hex; fees: EvmFees; createdAt: number }>

export type PrepareEvmTx = EvmTxBody &
  Readonly<{
    id: string
    /** eth_getTransactionCount(from, 'pending'): the stored counter never goes below it. */
    chainPendingNonce: number
    now: number
    /** The submitter works on the row until then; workers claim it only afterwards. */
    nextAttemptAt: number
  }>

export type EvmTxPatch = Partial<Pick<EvmOutboxTx, 'state' | 'nextAttemptAt' | 'sentAt' | 'blockNumber' | 'blockHash' | 'minedHash' | 'lastError'>>

export interface EvmOutboxStore {
  /**
   * Takes the next nonce of (chainId, from) — max(stored, chainPendingNonce) — and inserts the
   * row as `prepared`, in one transaction. An existing id is returned untouched (inserted = false)
   * and takes no nonce.
   */
  prepare(tx: PrepareEvmTx): Promise<{ inserted: boolean; tx: EvmOutboxTx }>
  /** Records a signed attempt and makes it current, moving the row to `state` if it is in one of `from`. */
  recordAttempt(id: string, attempt: EvmTxAttempt, args: { from: readonly EvmTxState[]; state: EvmTxState; sentAt: number | null; now: number }): Promise<boolean>
  /** Applies `patch` if the row is in one of `from` states; false otherwise. */
  transition(id: string, from: readonly EvmTxState[], patch: EvmTxPatch, now: number): Promise<boolean>
  /**
   * Leases up to `limit` unfinished rows of the chain due at `now` (attempts + 1, nextAttemptAt =
   * now + leaseMs), so several workers never handle one row at once.
   */
  claimDue(args: { chainId: number; now: number; limit: number; leaseMs: number }): Promise<EvmOutboxTx[]>
  get(id: string): Promise<EvmOutboxTx | undefined>
  attempts(id: string): Promise<EvmTxAttempt[]>
  list(args?: { chainId?: number; from?: Address; state?: EvmTxState; limit?: number }): Promise<EvmOutboxTx[]>
}
