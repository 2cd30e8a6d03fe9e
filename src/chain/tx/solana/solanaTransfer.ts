/**
 * What the Solana outbox sends, and how it is built: a SOL transfer, or an SPL transfer
 * (transferChecked from the sender's associated token account to the recipient's, created first
 * if missing, paid by the sender). The wire transaction is compiled with a recent blockhash and
 * the sender as fee payer, its signature slot empty for the signer to fill.
 */
import { getTransferSolInstruction } from '@solana-program/system'
import { findAssociatedTokenPda, getCreateAssociatedTokenIdempotentInstruction, getTransferCheckedInstruction, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token'
import {
  address,
  appendTransactionMessageInstructions,
  compileTransaction,
  createNoopSigner,
  createTransactionMessage,
  getTransactionEncoder,
  lamports,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type Blockhash,
  type Instruction,
} from '@solana/kit'
import { z } from 'zod'
import { invalidInput } from '../../../errors.ts'
import { checkSolanaAddress } from '../../balances/solanaBalances.ts'

const amount = z.union([z.bigint(), z.string().regex(/^[0-9]+$/u)]).transform((v) => BigInt(v)).refine((v) => v > 0n && v < 2n ** 64n, 'amount must be a positive u64')
const base58 = z.string().refine((v) => { try { checkSolanaAddress(v); return true } catch { return false } }, 'expected a Solana address')

export const solanaIntentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sol'), to: base58, lamports: amount }).strict(),
  z.object({ kind: z.literal('spl'), mint: base58, to: base58, amount, decimals: z.number().int().min(0).max(18) }).strict(),
])

export type SolanaIntent = z.output<typeof solanaIntentSchema>

export function parseSolanaIntent(input: unknown): SolanaIntent {
  const parsed = solanaIntentSchema.safeParse(input)
  if (!parsed.success) throw invalidInput(`invalid Solana transfer: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim())
  return parsed.data
}

export const solanaIntentJson = (intent: SolanaIntent): string =>
  JSON.stringify(intent.kind === 'sol' ? { kind: 'sol', to: intent.to, lamports: intent.lamports.toString() } : { ...intent, amount: intent.amount.toString() })

async function instructionsFor(from: string, intent: SolanaIntent): Promise<Instruction[]> {
  const payer = createNoopSigner(address(from))
  if (intent.kind === 'sol') return [getTransferSolInstruction({ source: payer, destination: address(intent.to), amount: lamports(intent.lamports) })]
  const mint = address(intent.mint)
  const ata = async (owner: string) => (await findAssociatedTokenPda({ owner: address(owner), mint, tokenProgram: TOKEN_PROGRAM_ADDRESS }))[0]
  const destination = await ata(intent.to)
  return [
    getCreateAssociatedTokenIdempotentInstruction({ payer, ata: destination, owner: address(intent.to), mint }),
    getTransferCheckedInstruction({ source: await ata(from), mint, destination, authority: payer, amount: intent.amount, decimals: intent.decimals }),
  ]
}

/** The unsigned wire transaction (empty signature slot for `from`). */
export async function buildSolanaTransfer(from: string, intent: SolanaIntent, lifetime: { blockhash: string; lastValidBlockHeight: bigint }): Promise<Uint8Array> {
  const instructions = await instructionsFor(from, intent)
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(address(from), m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: lifetime.blockhash as Blockhash, lastValidBlockHeight: lifetime.lastValidBlockHeight }, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  )
  return new Uint8Array(getTransactionEncoder().encode(compileTransaction(message)))
}
