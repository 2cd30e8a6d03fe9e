/** Real Solana transfer messages and transactions, built with @solana/kit and with @solana/web3.js 1. */
import { appendTransactionMessageInstructions, compileTransaction, createTransactionMessage, getTransactionEncoder, pipe, setTransactionMessageFeePayer, setTransactionMessageLifetimeUsingBlockhash, address, createNoopSigner, type Address, type Blockhash, type Instruction } from '@solana/kit'
import { getTransferSolInstruction } from '@solana-program/system'
import { Keypair, PublicKey, SystemProgram, Transaction, TransactionMessage, VersionedTransaction } from '@solana/web3.js'

export const BLOCKHASH = '4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi'
export const SOLANA_USER = 'De2Vd5tnCNThobPjcXDjrFfSewcrHz8mxe2umwBZGKrP'
export const SOLANA_ATTACKER = '9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin'

/** Wire bytes of a transaction with these instructions, fee payer `payer` (signatures left empty). */
export function kitTransaction(payer: string, instructions: (signer: ReturnType<typeof createNoopSigner>) => Instruction[], version: 0 | 'legacy' = 0): Uint8Array {
  const signer = createNoopSigner(address(payer))
  const message = pipe(
    createTransactionMessage({ version }),
    (m) => setTransactionMessageFeePayer(signer.address, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: BLOCKHASH as Blockhash, lastValidBlockHeight: 1n }, m),
    (m) => appendTransactionMessageInstructions(instructions(signer), m),
  )
  return new Uint8Array(getTransactionEncoder().encode(compileTransaction(message)))
}

export function kitTransferMessage(from: string, to: string, lamports: bigint, version: 0 | 'legacy'): Uint8Array {
  const signer = createNoopSigner(address(from))
  const message = pipe(
    createTransactionMessage({ version }),
    (m) => setTransactionMessageFeePayer(signer.address, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: BLOCKHASH as Blockhash, lastValidBlockHeight: 1n }, m),
    (m) => appendTransactionMessageInstructions([getTransferSolInstruction({ source: signer, destination: address(to) as Address, amount: lamports })], m),
  )
  return new Uint8Array(compileTransaction(message).messageBytes)
}

export function web3LegacyTransferMessage(from: string, to: string, lamports: number): Uint8Array {
  const tx = new Transaction({ feePayer: new PublicKey(from), recentBlockhash: BLOCKHASH }).add(SystemProgram.transfer({ fromPubkey: new PublicKey(from), toPubkey: new PublicKey(to), lamports }))
  return new Uint8Array(tx.serializeMessage())
}

export function web3V0TransferMessage(from: string, to: string, lamports: number): Uint8Array {
  const message = new TransactionMessage({ payerKey: new PublicKey(from), recentBlockhash: BLOCKHASH, instructions: [SystemProgram.transfer({ fromPubkey: new PublicKey(from), toPubkey: new PublicKey(to), lamports })] }).compileToV0Message()
  return new VersionedTransaction(message).message.serialize()
}

export const randomSolanaAddress = () => Keypair.generate().publicKey.toBase58()
