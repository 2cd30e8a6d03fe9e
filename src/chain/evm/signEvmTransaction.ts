/**
 * Signs an EIP-1559 transaction: viem serializes (and checks, e.g. tip ≤ fee cap), libsecp256k1
 * signs keccak256 of the unsigned serialization, viem re-serializes with the signature.
 * `hash` is the transaction hash (keccak256 of the signed serialization).
 */
import { BaseError, keccak256, serializeTransaction, type Hex, type TransactionSerializableEIP1559 } from 'viem'
import { CoffreError } from '../../errors.ts'
import { parseEvmTransaction } from './parseEvmTransaction.ts'
import { assertEvmPrivateKey, signDigest } from './signDigest.ts'

export interface SignedEvmTransaction {
  serialized: Hex
  hash: Hex
}

function serialize(tx: TransactionSerializableEIP1559, signature?: Parameters<typeof serializeTransaction>[1]): Hex {
  try {
    return serializeTransaction(tx, signature)
  } catch (error) {
    const reason = error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : 'unknown error'
    throw new CoffreError('COFFRE_SIGNING_FAILED', `invalid transaction: ${reason}`, { cause: error })
  }
}

export function signEvmTransaction(privateKey: Uint8Array, request: unknown): SignedEvmTransaction {
  assertEvmPrivateKey(privateKey)
  const tx = parseEvmTransaction(request)
  const digest = keccak256(serialize(tx), 'bytes')
  const serialized = serialize(tx, signDigest(privateKey, digest))
  return { serialized, hash: keccak256(serialized) }
}
