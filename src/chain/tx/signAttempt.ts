/**
 * Signs one attempt of an outbox transaction and checks the result: the signed bytes must decode
 * to exactly the stored transaction (chain, nonce, to, value, data, gas, the fees asked for) and
 * recover to the sender. A signer that returns anything else is refused before anything is
 * stored or broadcast.
 */
import { keccak256, parseTransaction, recoverTransactionAddress, type Hex, type TransactionSerializableEIP1559 } from 'viem'
import { CoffreError } from '../../errors.ts'
import type { EvmFees, EvmOutboxTx, EvmTxAttempt } from '../../store/chain/evmOutbox.ts'
import type { EvmTransactionSigner } from './signers.ts'

export function unsignedTransaction(tx: EvmOutboxTx, fees: EvmFees): TransactionSerializableEIP1559 {
  return {
    type: 'eip1559',
    chainId: tx.chainId,
    nonce: tx.nonce,
    ...(tx.to === null ? {} : { to: tx.to }),
    value: tx.value,
    data: tx.data,
    gas: tx.gas,
    maxFeePerGas: fees.maxFeePerGas,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
  }
}

export async function signAttempt(signer: EvmTransactionSigner, tx: EvmOutboxTx, fees: EvmFees, now: number): Promise<EvmTxAttempt> {
  if (signer.address.toLowerCase() !== tx.from.toLowerCase()) {
    throw new CoffreError('COFFRE_SIGNING_FAILED', 'the signer is not the transaction sender', { details: { from: tx.from } })
  }
  const wanted = unsignedTransaction(tx, fees)
  const raw = await signer.signTransaction(wanted)
  let parsed: ReturnType<typeof parseTransaction>
  let recovered: string
  try {
    parsed = parseTransaction(raw)
    recovered = await recoverTransactionAddress({ serializedTransaction: raw as `0x02${string}` })
  } catch (cause) {
    throw new CoffreError('COFFRE_SIGNING_FAILED', 'the signer returned bytes that are not a signed EIP-1559 transaction', { cause })
  }
  const same =
    parsed.type === 'eip1559' &&
    parsed.chainId === wanted.chainId &&
    parsed.nonce === wanted.nonce &&
    (parsed.to ?? null)?.toLowerCase() === (wanted.to ?? null)?.toLowerCase() &&
    (parsed.value ?? 0n) === wanted.value &&
    (parsed.data ?? '0x') === wanted.data &&
    parsed.gas === wanted.gas &&
    parsed.maxFeePerGas === wanted.maxFeePerGas &&
    parsed.maxPriorityFeePerGas === wanted.maxPriorityFeePerGas &&
    recovered.toLowerCase() === tx.from.toLowerCase()
  if (!same) throw new CoffreError('COFFRE_SIGNING_FAILED', 'the signed transaction differs from the one requested', { details: { id: tx.id } })
  return { txHash: keccak256(raw) as Hex, raw, fees, createdAt: now }
}
