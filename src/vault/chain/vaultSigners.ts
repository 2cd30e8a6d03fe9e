/**
 * The transaction layer's signers (chain/tx/signers.ts) backed by the vault's key-use path: each
 * signature decrypts the user's wallet key, signs, wipes it and audits the use (`purpose`), so a
 * withdrawal is signed exactly like any other key use.
 */
import type { Address, Hex, TransactionSerializableEIP1559 } from 'viem'
import { signEvmTransaction } from '../../chain/evm/signEvmTransaction.ts'
import { signSolanaTransaction } from '../../chain/solana/signSolanaTransaction.ts'
import type { EvmTransactionSigner, SolanaTransactionSigner } from '../../chain/tx/signers.ts'
import type { ActionOptions, VaultContext } from '../context.ts'
import { useWalletKey } from '../keys/useKey.ts'

export function vaultEvmSigner(ctx: VaultContext, address: Address, purpose: string, options: ActionOptions = {}): EvmTransactionSigner {
  return {
    address,
    signTransaction: (transaction: TransactionSerializableEIP1559): Promise<Hex> =>
      useWalletKey(ctx, { address }, 'polygon', { purpose, ...options }, (key) => signEvmTransaction(key, transaction).serialized),
  }
}

export function vaultSolanaSigner(ctx: VaultContext, address: string, purpose: string, options: ActionOptions = {}): SolanaTransactionSigner {
  return {
    address,
    signTransaction: (wire: Uint8Array): Promise<Uint8Array> =>
      useWalletKey(ctx, { address }, 'solana', { purpose, ...options }, (key) => signSolanaTransaction(key, wire).signedTransaction),
  }
}
