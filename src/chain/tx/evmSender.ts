/**
 * Sends EVM transactions through the durable outbox. `submit(id, from, call)` estimates gas and
 * fees (refusing with COFFRE_CONFLICT, reason `would-revert` / `fee-cap-exceeded`, before anything is stored),
 * takes the nonce and stores the transaction, signs it, stores the signed bytes, then broadcasts;
 * the same id again returns the stored transaction (another intent under it is
 * COFFRE_IDEMPOTENCY_MISMATCH) — one request, one transaction. `processDue` is the worker step
 * that carries every unfinished transaction forward (advanceEvmTransaction.ts); any number of
 * processes may run it on one database.
 */
import { createHash } from 'node:crypto'
import { getAddress, isAddress, type Address } from 'viem'
import { CoffreError, invalidInput } from '../../errors.ts'
import { chainError } from '../chainErrors.ts'
import type { PolygonChain } from '../rpc/evmClient.ts'
import { findCoffreError, rpcCall } from '../rpc/rpcError.ts'
import { advanceEvmTransaction, type AdvanceDeps, type EvmSenderTuning } from './advanceEvmTransaction.ts'
import type { EvmCall } from './evmCalls.ts'
import { estimateEip1559Fees } from './evmFees.ts'
import type { EvmOutboxStore, EvmOutboxTx } from '../../store/chain/evmOutbox.ts'
import type { EvmTransactionSigner } from './signers.ts'

export const defaultSenderTuning: EvmSenderTuning = Object.freeze({ confirmations: 32, stuckAfterMs: 60_000, pollMs: 3_000, leaseMs: 30_000 })

export type EvmSenderDeps = Readonly<{
  polygon: Pick<PolygonChain, 'client' | 'config'>
  store: EvmOutboxStore
  signerFor: (address: Address) => EvmTransactionSigner | Promise<EvmTransactionSigner>
  tuning?: Partial<EvmSenderTuning>
  now?: () => number
}>

export type EvmSender = Readonly<{
  submit(request: { id: string; from: Address; call: EvmCall & { gas?: bigint } }): Promise<EvmOutboxTx>
  /** Leases and advances up to `limit` due transactions; returns how many it handled. */
  processDue(limit?: number): Promise<number>
}>

export function intentHash(chainId: number, from: Address, call: EvmCall): string {
  return createHash('sha256').update(JSON.stringify([chainId, from.toLowerCase(), call.to.toLowerCase(), call.value.toString(), call.data.toLowerCase()])).digest('hex')
}

const GAS_MARGIN_PERCENT = 120n

export function createEvmSender(deps: EvmSenderDeps): EvmSender {
  const { client, config } = deps.polygon
  const now = deps.now ?? Date.now
  const tuning: EvmSenderTuning = { ...defaultSenderTuning, confirmations: config.confirmations, ...deps.tuning }
  const caps = { maxFeePerGas: config.maxFeePerGas, maxPriorityFeePerGas: config.maxPriorityFeePerGas }
  const advance: AdvanceDeps = { client, store: deps.store, signerFor: deps.signerFor, caps, tuning, now }

  async function existing(id: string, hash: string): Promise<EvmOutboxTx | undefined> {
    const found = await deps.store.get(id)
    if (found !== undefined && found.intentHash !== hash) {
      throw new CoffreError('COFFRE_IDEMPOTENCY_MISMATCH', `transaction request ${id} was already used for another transaction`, { details: { id } })
    }
    return found
  }

  async function estimateGas(from: Address, call: EvmCall): Promise<bigint> {
    try {
      const estimate = await client.estimateGas({ account: from, to: call.to, value: call.value, data: call.data })
      return call.data === '0x' && estimate === 21_000n ? estimate : (estimate * GAS_MARGIN_PERCENT) / 100n
    } catch (error) {
      const known = findCoffreError(error)
      if (known !== undefined) throw known
      const text = error instanceof Error ? `${error.message} ${String((error as { details?: unknown }).details ?? '')}` : String(error)
      if (/revert|insufficient funds|exceeds balance/iu.test(text)) {
        throw chainError('would-revert', `the transaction would fail: ${(error as { shortMessage?: string }).shortMessage ?? 'execution reverted'}`, { cause: error })
      }
      return rpcCall('polygon', 'eth_estimateGas', () => Promise.reject(error))
    }
  }

  return {
    async submit({ id, from, call }) {
      if (typeof id !== 'string' || id.length === 0 || id.length > 200) throw invalidInput('a transaction request id of 1 to 200 characters is required')
      if (!isAddress(from, { strict: false }) || !isAddress(call.to, { strict: false })) throw invalidInput('from and to must be EVM addresses')
      const sender = getAddress(from)
      const hash = intentHash(config.chainId, sender, call)
      const already = await existing(id, hash)
      if (already !== undefined) return already
      const gas = call.gas ?? (await estimateGas(sender, call))
      const fees = await estimateEip1559Fees(client, caps)
      const pending = await rpcCall('polygon', 'eth_getTransactionCount', () => client.getTransactionCount({ address: sender, blockTag: 'pending' }))
      const at = now()
      const prepared = await deps.store.prepare({
        id,
        chainId: config.chainId,
        from: sender,
        chainPendingNonce: pending,
        to: getAddress(call.to),
        value: call.value,
        data: call.data,
        gas,
        fees,
        intentHash: hash,
        now: at,
        nextAttemptAt: at + tuning.leaseMs,
      })
      if (!prepared.inserted) return (await existing(id, hash)) ?? prepared.tx
      try {
        await advanceEvmTransaction(advance, prepared.tx)
      } catch (error) {
        // Stored: a worker finishes it. Record why it stopped and let it retry soon.
        await deps.store.transition(id, ['prepared', 'signed'], { lastError: describe(error), nextAttemptAt: now() + tuning.pollMs }, now())
        if (findCoffreError(error)?.code === 'COFFRE_SIGNING_FAILED') throw error
      }
      return (await deps.store.get(id)) ?? prepared.tx
    },

    async processDue(limit = 50) {
      const claimed = await deps.store.claimDue({ chainId: config.chainId, now: now(), limit, leaseMs: tuning.leaseMs })
      for (const tx of claimed) {
        try {
          await advanceEvmTransaction(advance, tx)
        } catch (error) {
          const retryIn = Math.min(tuning.pollMs * 2 ** Math.min(tx.attempts, 6), 5 * 60_000)
          await deps.store.transition(tx.id, [tx.state], { lastError: describe(error), nextAttemptAt: now() + retryIn }, now())
        }
      }
      return claimed.length
    },
  }
}

function describe(error: unknown): string {
  const known = findCoffreError(error)
  return (known === undefined ? (error instanceof Error ? error.message : String(error)) : `${known.code}: ${known.message}`).slice(0, 500)
}
