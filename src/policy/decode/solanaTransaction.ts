/**
 * A Solana wire transaction (legacy, v0 or v1, as the vault signs them) decoded with
 * @solana/kit's codecs into what policies judge: fee payer, top-level program ids and the
 * classified instructions (solanaInstructions.ts). The message must parse exactly, as the
 * signer requires. Accounts loaded from address lookup tables have no address here.
 */
import { getCompiledTransactionMessageDecoder, getTransactionDecoder, type Address, type ReadonlyUint8Array } from '@solana/kit'
import { classifyInstruction, UNKNOWN_ACCOUNT, type ClassifiedInstruction } from './solanaInstructions.ts'
import { undecodable } from './undecodable.ts'

export type SolanaTransactionView = {
  readonly feePayer: string
  /** Top-level program ids, in instruction order, without repeats. */
  readonly programs: readonly string[]
  readonly instructions: readonly ClassifiedInstruction[]
}

const transactionDecoder = getTransactionDecoder()
const messageDecoder = getCompiledTransactionMessageDecoder()

type Compiled = { programIndex: number; accountIndices: readonly number[]; data: ReadonlyUint8Array }

function compiledInstructions(message: ReturnType<typeof messageDecoder.decode>): Compiled[] {
  if (message.version === 1) {
    return message.instructionHeaders.map((header, i) => ({
      programIndex: header.programAccountIndex,
      accountIndices: message.instructionPayloads[i]?.instructionAccountIndices ?? [],
      data: message.instructionPayloads[i]?.instructionData ?? new Uint8Array(),
    }))
  }
  return message.instructions.map((ix) => ({ programIndex: ix.programAddressIndex, accountIndices: ix.accountIndices ?? [], data: ix.data ?? new Uint8Array() }))
}

export function decodeSolanaTransaction(wire: unknown): SolanaTransactionView {
  if (!(wire instanceof Uint8Array)) return undecodable('the transaction is not bytes')
  let message: ReturnType<typeof messageDecoder.decode>
  try {
    const bytes = transactionDecoder.decode(wire).messageBytes
    const [decoded, consumed] = messageDecoder.read(bytes, 0)
    if (consumed !== bytes.length) return undecodable('the transaction message has trailing bytes')
    message = decoded
  } catch {
    return undecodable('the bytes are not a Solana wire transaction')
  }
  const accounts = message.staticAccounts as readonly string[]
  const feePayer = accounts[0] ?? undecodable('the transaction has no fee payer')
  const programs: string[] = []
  const instructions = compiledInstructions(message).map((ix) => {
    const program = accounts[ix.programIndex] ?? undecodable('a program id is not a static account')
    if (!programs.includes(program)) programs.push(program)
    return classifyInstruction({
      programAddress: program as Address,
      accounts: ix.accountIndices.map((index) => ({ address: (accounts[index] ?? UNKNOWN_ACCOUNT) as Address, role: 0 })),
      data: ix.data,
    })
  })
  return { feePayer, programs, instructions }
}
