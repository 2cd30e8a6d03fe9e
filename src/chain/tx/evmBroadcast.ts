/**
 * Broadcasting a stored signed transaction, and finding which of its attempts was mined.
 * A node that already has the transaction, or already has one at this nonce, answers with an
 * error ("already known", "nonce too low", "replacement … underpriced"): for an idempotent
 * rebroadcast that is success — the receipts tell what happened. Other refusals are errors.
 */
import { TransactionReceiptNotFoundError, type Hex, type TransactionReceipt } from 'viem'
import type { PolygonClient } from '../rpc/evmClient.ts'
import { rpcCall, toRpcError } from '../rpc/rpcError.ts'

const ALREADY_THERE = /already known|already imported|known transaction|nonce too low|replacement transaction underpriced|transaction underpriced|alreadyknown/iu

function messages(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    parts.push(current.message, String((current as { details?: unknown }).details ?? ''))
    current = current.cause
  }
  return parts.join(' | ')
}

export type BroadcastOutcome = 'accepted' | 'known'

export async function broadcastRaw(client: PolygonClient, raw: Hex): Promise<BroadcastOutcome> {
  try {
    await client.sendRawTransaction({ serializedTransaction: raw })
    return 'accepted'
  } catch (error) {
    if (ALREADY_THERE.test(messages(error))) return 'known'
    throw toRpcError(error, 'polygon', 'eth_sendRawTransaction')
  }
}

export async function receiptOf(client: PolygonClient, hash: Hex): Promise<TransactionReceipt | undefined> {
  return rpcCall('polygon', 'eth_getTransactionReceipt', async () => {
    try {
      return await client.getTransactionReceipt({ hash })
    } catch (error) {
      if (error instanceof TransactionReceiptNotFoundError) return undefined
      throw error
    }
  })
}

/** The receipt of whichever attempt was mined (newest attempts first), if any. */
export async function findMinedAttempt(client: PolygonClient, hashes: readonly Hex[]): Promise<TransactionReceipt | undefined> {
  for (const hash of [...hashes].reverse()) {
    const receipt = await receiptOf(client, hash)
    if (receipt !== undefined) return receipt
  }
  return undefined
}
