/**
 * Signing for a user without exposing the key: EIP-191 messages, EIP-712 typed data, EIP-1559
 * transactions (signed, not sent), Solana messages and transactions. Every request is judged by
 * the caller's signing policy before the key is decrypted (policies/authorize.ts), and every
 * decrypt is audited with the deciding rule.
 */
import type { EvmTransactionRequest } from '../../chain/evm/parseEvmTransaction.ts'
import { signEvmTransaction } from '../../chain/evm/signEvmTransaction.ts'
import { signPersonalMessage } from '../../chain/evm/signPersonalMessage.ts'
import { hashTypedDataInput, type TypedDataInput } from '../../chain/evm/signTypedData.ts'
import { signDigestHex } from '../../chain/evm/signDigest.ts'
import { signSolanaMessage } from '../../chain/solana/signSolanaMessage.ts'
import { signSolanaTransaction } from '../../chain/solana/signSolanaTransaction.ts'
import { invalidInput } from '../../errors.ts'
import type { ActionOptions, VaultContext } from '../context.ts'
import { useWalletKey } from '../keys/useKey.ts'
import type { UserRef } from '../users/findUser.ts'
import { authorize } from '../policies/authorize.ts'

export type SignMessageInput = { readonly chain: 'polygon' | 'solana'; readonly message: string | Uint8Array }

export function createSigningService(ctx: VaultContext) {
  const signed = (kind: string) => ctx.observer.signed?.(kind)
  return {
    async message(ref: UserRef, input: SignMessageInput, options: ActionOptions = {}): Promise<{ signature: string; address: string }> {
      const message = input?.message
      if (typeof message !== 'string' && !(message instanceof Uint8Array)) throw invalidInput('message must be a string or bytes')
      if (input.chain === 'polygon') {
        const authorized = await authorize(ctx, options, ref, { operation: 'sign.evm-message', message })
        return useWalletKey(ctx, ref, 'polygon', { purpose: 'sign.message', ...options, authorized }, (key, holder) => {
          signed('evm.message')
          return { signature: signPersonalMessage(key, message), address: holder.address }
        })
      }
      if (input.chain === 'solana') {
        const bytes = typeof message === 'string' ? new TextEncoder().encode(message) : message
        const authorized = await authorize(ctx, options, ref, { operation: 'sign.solana-message', message: bytes })
        return useWalletKey(ctx, ref, 'solana', { purpose: 'sign.message', ...options, authorized }, (key, holder) => {
          signed('solana.message')
          return { signature: signSolanaMessage(key, bytes), address: holder.address }
        })
      }
      throw invalidInput('chain must be polygon or solana')
    },

    async typedData(ref: UserRef, typedData: TypedDataInput, options: ActionOptions = {}): Promise<{ signature: string; address: string }> {
      // Hash (and so validate) before the key is decrypted: the key is held for the signature only.
      const digest = hashTypedDataInput(typedData)
      const authorized = await authorize(ctx, options, ref, { operation: 'sign.typed-data', typedData })
      return useWalletKey(ctx, ref, 'polygon', { purpose: 'sign.typed-data', ...options, authorized }, (key, holder) => {
        const signature = signDigestHex(key, digest)
        signed('evm.typed-data')
        return { signature, address: holder.address }
      })
    },

    async evmTransaction(ref: UserRef, transaction: EvmTransactionRequest, options: ActionOptions = {}): Promise<{ serializedTransaction: string; hash: string; address: string }> {
      const authorized = await authorize(ctx, options, ref, { operation: 'sign.evm-transaction', transaction })
      return useWalletKey(ctx, ref, 'polygon', { purpose: 'sign.evm-transaction', ...options, authorized }, (key, holder) => {
        const { serialized, hash } = signEvmTransaction(key, transaction)
        signed('evm.transaction')
        return { serializedTransaction: serialized, hash, address: holder.address }
      })
    },

    async solanaTransaction(ref: UserRef, wireTransaction: Uint8Array, options: ActionOptions = {}): Promise<{ signedTransaction: Uint8Array; signature: string; address: string }> {
      if (!(wireTransaction instanceof Uint8Array)) throw invalidInput('transaction must be bytes (the wire format)')
      const authorized = await authorize(ctx, options, ref, { operation: 'sign.solana-transaction', transaction: wireTransaction })
      return useWalletKey(ctx, ref, 'solana', { purpose: 'sign.solana-transaction', ...options, authorized }, (key, holder) => {
        const { signedTransaction, signature } = signSolanaTransaction(key, wireTransaction)
        signed('solana.transaction')
        return { signedTransaction, signature, address: holder.address }
      })
    },
  }
}

export type SigningService = ReturnType<typeof createSigningService>
