/** Calldata of `execTransaction(SafeTx…, signatures)`: what any account sends to the Safe to execute. */
import { encodeFunctionData, type Hex } from 'viem'
import { safeAbi } from './safeAbi.ts'
import type { SafeTx } from './safeTx.ts'

export function encodeExecTransaction(tx: SafeTx, signatures: Hex): Hex {
  return encodeFunctionData({
    abi: safeAbi,
    functionName: 'execTransaction',
    args: [tx.to, tx.value, tx.data, tx.operation, tx.safeTxGas, tx.baseGas, tx.gasPrice, tx.gasToken, tx.refundReceiver, signatures],
  })
}
