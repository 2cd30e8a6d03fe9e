/**
 * What signs on chain, as the transaction layer sees it. The vault implements these with its
 * key-use path (decrypt, sign, audit, wipe); tests use a local key (viem's privateKeyToAccount is
 * an EvmTransactionSigner as it is). The sender checks every signed result against what it asked
 * for, so a faulty signer cannot send something else.
 */
import type { Address, Hex, TransactionSerializableEIP1559 } from 'viem'

export interface EvmTransactionSigner {
  readonly address: Address
  /** Returns the signed serialized transaction. */
  signTransaction(transaction: TransactionSerializableEIP1559): Promise<Hex>
}

export interface SolanaTransactionSigner {
  /** base58 address (the fee payer). */
  readonly address: string
  /** Takes a wire transaction with an empty signature slot for `address`; returns it signed. */
  signTransaction(wireTransaction: Uint8Array): Promise<Uint8Array>
}
