/**
 * Sends Solana transfers through the durable outbox. `submit` stores the request, builds the
 * transaction on a recent blockhash, has it signed, stores the signed bytes, then sends it with
 * preflight (a simulation failure fails the request: COFFRE_CONFLICT, reason `would-revert`; nothing landed).
 * `processDue` is the worker step: it resends a sent transaction as is (skipPreflight) until its
 * status is final at the configured commitment, and only when the chain's block height has
 * passed its lastValidBlockHeight without it — it can never land then — rebuilds it on a new
 * blockhash (at most `maxRebuilds` times). The same id again returns the stored request.
 */
import { createHash } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { base58 } from '@scure/base'
import { address, getAddressEncoder, getTransactionDecoder, isSolanaError, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE, SOLANA_ERROR__TRANSACTION_ERROR__BLOCKHASH_NOT_FOUND, type Base64EncodedWireTransaction, type Signature } from '@solana/kit'
import { CoffreError, invalidInput } from '../../../errors.ts'
import { checkSolanaAddress } from '../../balances/solanaBalances.ts'
import { chainError, hasChainReason } from '../../chainErrors.ts'
import type { SolanaChain } from '../../rpc/solanaRpc.ts'
import { findCoffreError, rpcCall, toRpcError } from '../../rpc/rpcError.ts'
import type { SolanaTransactionSigner } from '../signers.ts'
import type { SolanaOutboxStore, SolanaOutboxTx } from '../../../store/chain/solanaOutbox.ts'
import { buildSolanaTransfer, parseSolanaIntent, solanaIntentJson, type SolanaIntent } from './solanaTransfer.ts'

export type SolanaSenderTuning = Readonly<{ pollMs: number; leaseMs: number; maxRebuilds: number }>
export const defaultSolanaTuning: SolanaSenderTuning = Object.freeze({ pollMs: 2_000, leaseMs: 30_000, maxRebuilds: 3 })

export type SolanaSenderDeps = Readonly<{
  solana: Pick<SolanaChain, 'rpc' | 'config'>
  store: SolanaOutboxStore
  signerFor: (address: string) => SolanaTransactionSigner | Promise<SolanaTransactionSigner>
  tuning?: Partial<SolanaSenderTuning>
  now?: () => number
}>

export type SolanaSender = Readonly<{
  submit(request: { id: string; from: string; intent: SolanaIntent | Record<string, unknown> }): Promise<SolanaOutboxTx>
  processDue(limit?: number): Promise<number>
}>

const decoder = getTransactionDecoder()
const addressEncoder = getAddressEncoder()

/** The signer must return our message, signed by `from`, and nothing else. */
function checkSigned(unsigned: Uint8Array, signed: Uint8Array, from: string): string {
  const before = decoder.decode(unsigned)
  let after: ReturnType<typeof decoder.decode>
  try {
    after = decoder.decode(signed)
  } catch (cause) {
    throw new CoffreError('COFFRE_SIGNING_FAILED', 'the signer returned bytes that are not a Solana transaction', { cause })
  }
  const signature = after.signatures[address(from)]
  const sameMessage = Buffer.from(before.messageBytes).equals(Buffer.from(after.messageBytes))
  if (!sameMessage || signature == null || !ed25519.verify(new Uint8Array(signature), new Uint8Array(after.messageBytes), new Uint8Array(addressEncoder.encode(address(from))))) {
    throw new CoffreError('COFFRE_SIGNING_FAILED', 'the signed Solana transaction differs from the one requested')
  }
  return base58.encode(signature)
}

const preflightFailure = (error: unknown): 'transient' | 'final' | undefined => {
  if (!isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE)) return undefined
  return isSolanaError(error.cause, SOLANA_ERROR__TRANSACTION_ERROR__BLOCKHASH_NOT_FOUND) ? 'transient' : 'final'
}

export function createSolanaSender(deps: SolanaSenderDeps): SolanaSender {
  const { rpc, config } = deps.solana
  const now = deps.now ?? Date.now
  const tuning = { ...defaultSolanaTuning, ...deps.tuning }

  async function send(wire: string, preflight: boolean): Promise<void> {
    await rpc.sendTransaction(wire as Base64EncodedWireTransaction, { encoding: 'base64', skipPreflight: !preflight, preflightCommitment: 'confirmed', maxRetries: 0n }).send()
  }

  /** Builds, signs, stores and sends a new attempt replacing `expected` (null: the first). */
  async function attempt(tx: SolanaOutboxTx, preflight: boolean): Promise<void> {
    const intent = parseSolanaIntent(JSON.parse(tx.intent))
    const { value: lifetime } = await rpcCall('solana', 'getLatestBlockhash', () => rpc.getLatestBlockhash({ commitment: 'confirmed' }).send())
    const unsigned = await buildSolanaTransfer(tx.from, intent, lifetime)
    const signer = await deps.signerFor(tx.from)
    if (signer.address !== tx.from) throw new CoffreError('COFFRE_SIGNING_FAILED', 'the signer is not the transaction sender')
    const signed = await signer.signTransaction(unsigned)
    const signature = checkSigned(unsigned, signed, tx.from)
    const wire = Buffer.from(signed).toString('base64')
    const at = now()
    const stored = await deps.store.recordAttempt(tx.id, tx.signature, { signature, wire, lastValidBlockHeight: lifetime.lastValidBlockHeight }, { rebuild: tx.signature !== null, now: at, nextAttemptAt: at + tuning.pollMs })
    if (!stored) return // another worker moved it on
    try {
      await send(wire, preflight)
    } catch (error) {
      if (preflightFailure(error) === 'final') {
        await deps.store.transition(tx.id, ['sent'], { state: 'failed', lastError: `simulation failed: ${(error as Error).message}`.slice(0, 500) }, now())
        throw chainError('would-revert', 'the Solana transaction fails in simulation; it was not sent', { cause: error })
      }
      throw toRpcError(error, 'solana', 'sendTransaction')
    }
  }

  async function step(tx: SolanaOutboxTx): Promise<void> {
    if (tx.state === 'pending' || tx.signature === null || tx.wire === null || tx.lastValidBlockHeight === null) return attempt(tx, true)
    const { value } = await rpcCall('solana', 'getSignatureStatuses', () => rpc.getSignatureStatuses([tx.signature as Signature], { searchTransactionHistory: true }).send())
    const status = value[0]
    const at = now()
    if (status != null) {
      if (status.err !== null) {
        await deps.store.transition(tx.id, ['sent'], { state: 'failed', slot: status.slot, lastError: `failed on chain: ${JSON.stringify(status.err, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}` }, at)
      } else if (status.confirmationStatus === 'finalized' || (config.commitment === 'confirmed' && status.confirmationStatus === 'confirmed')) {
        await deps.store.transition(tx.id, ['sent'], { state: 'confirmed', slot: status.slot, lastError: null }, at)
      } else {
        await deps.store.transition(tx.id, ['sent'], { nextAttemptAt: at + tuning.pollMs }, at)
      }
      return
    }
    const height = await rpcCall('solana', 'getBlockHeight', () => rpc.getBlockHeight({ commitment: 'confirmed' }).send())
    if (height <= tx.lastValidBlockHeight) {
      await send(tx.wire, false).catch((error: unknown) => {
        throw toRpcError(error, 'solana', 'sendTransaction')
      })
      await deps.store.transition(tx.id, ['sent'], { nextAttemptAt: at + tuning.pollMs }, at)
      return
    }
    // Expired unseen: it can never land now. Rebuild, or give up after maxRebuilds.
    if (tx.rebuilds >= tuning.maxRebuilds) {
      await deps.store.transition(tx.id, ['sent'], { state: 'failed', lastError: `expired ${tx.rebuilds + 1} times without landing` }, at)
      return
    }
    await attempt(tx, false)
  }

  return {
    async submit({ id, from, intent }) {
      if (typeof id !== 'string' || id.length === 0 || id.length > 200) throw invalidInput('a transaction request id of 1 to 200 characters is required')
      checkSolanaAddress(from)
      const json = solanaIntentJson(parseSolanaIntent(intent))
      const intentHash = createHash('sha256').update(`${from}\n${json}`).digest('hex')
      const at = now()
      const { inserted, tx } = await deps.store.insert({ id, from, intent: json, intentHash, now: at, nextAttemptAt: at + tuning.leaseMs })
      if (tx.intentHash !== intentHash) throw new CoffreError('COFFRE_IDEMPOTENCY_MISMATCH', `transaction request ${id} was already used for another transaction`, { details: { id } })
      if (!inserted) return tx
      try {
        await attempt(tx, true)
      } catch (error) {
        if (hasChainReason(error, 'would-revert') || findCoffreError(error)?.code === 'COFFRE_SIGNING_FAILED') throw error
        await deps.store.transition(id, ['pending', 'sent'], { lastError: String((error as Error).message).slice(0, 500), nextAttemptAt: now() + tuning.pollMs }, now())
      }
      return (await deps.store.get(id)) ?? tx
    },

    async processDue(limit = 50) {
      const claimed = await deps.store.claimDue({ now: now(), limit, leaseMs: tuning.leaseMs })
      for (const tx of claimed) {
        try {
          await step(tx)
        } catch (error) {
          await deps.store.transition(tx.id, ['pending', 'sent'], { lastError: String((error as Error).message).slice(0, 500), nextAttemptAt: now() + tuning.pollMs }, now())
        }
      }
      return claimed.length
    },
  }
}
