/**
 * What each top-level instruction of a Solana transaction does to value, classified with the
 * official program clients (@solana-program/system and @solana-program/token identify/parse
 * functions): lamport and token transfers (destination, amount, mint when the instruction
 * names it), grants of authority (SPL approvals, SetAuthority, System Assign, nonce authority)
 * and instructions whose effect on value Coffre cannot see (p-token Batch, UnwrapLamports,
 * Token-2022 extensions): those make transfer and approval conditions Undecodable.
 * Token-2022 shares SPL Token's layout for instructions 0–24, so the same parsers read them.
 */
import { identifySystemInstruction, parseSystemInstruction, SYSTEM_PROGRAM_ADDRESS, SystemInstruction } from '@solana-program/system'
import { identifyTokenInstruction, parseTokenInstruction, TOKEN_PROGRAM_ADDRESS, TokenInstruction } from '@solana-program/token'
import type { Address, Instruction, ReadonlyUint8Array } from '@solana/kit'

export const TOKEN_2022_PROGRAM_ADDRESS = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb'
const LAST_SHARED_TOKEN_INSTRUCTION = 24
const U64_UNLIMITED = 1n << 63n

export type SolanaTransfer = {
  /** 'native' for lamports, the mint for TransferChecked, undefined when the instruction does not name its mint. */
  readonly asset: string | undefined
  /** undefined when the account comes from an address lookup table. */
  readonly destination: string | undefined
  /** undefined when the instruction moves a balance it does not state (CloseAccount). */
  readonly amount: bigint | undefined
}

export type SolanaApproval = { readonly delegate: string | undefined; readonly amount: bigint | undefined; readonly unlimited: boolean }

export type ClassifiedInstruction = {
  readonly program: string
  /** "system.transferSol", "token.transferChecked", "token-2022.approve", or the program id for other programs. */
  readonly kind: string
  readonly transfers: readonly SolanaTransfer[]
  readonly approvals: readonly SolanaApproval[]
  /** Set when the instruction may move value in ways not decoded here. */
  readonly opaque: string | undefined
}

/** An account position whose address is unknown (loaded from a lookup table). */
export const UNKNOWN_ACCOUNT = '<lookup-table>'
const known = (address: string | undefined) => (address === undefined || address === UNKNOWN_ACCOUNT ? undefined : address)

type AnyInstruction = Instruction & { data: ReadonlyUint8Array; accounts: { address: Address; role: number }[] }
type Meta = { address: string } | undefined
const addr = (meta: unknown) => known((meta as Meta)?.address)

const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1)
const result = (kind: string, parts: Partial<Omit<ClassifiedInstruction, 'kind' | 'program'>> = {}): Omit<ClassifiedInstruction, 'program'> => ({ kind, transfers: [], approvals: [], opaque: undefined, ...parts })

function classifySystem(instruction: AnyInstruction): Omit<ClassifiedInstruction, 'program'> {
  let type: SystemInstruction
  try {
    type = identifySystemInstruction(instruction)
  } catch {
    return result('system.unknown', { opaque: 'unknown System instruction' })
  }
  const kind = `system.${camel(SystemInstruction[type])}`
  let parsed: ReturnType<typeof parseSystemInstruction>
  try {
    parsed = parseSystemInstruction(instruction)
  } catch {
    return result(kind, { opaque: `${kind} does not decode` })
  }
  const lamports = (destination: unknown, amount: bigint) => result(kind, { transfers: [{ asset: 'native', destination: addr(destination), amount }] })
  switch (parsed.instructionType) {
    case SystemInstruction.TransferSol: return lamports(parsed.accounts.destination, parsed.data.amount)
    case SystemInstruction.TransferSolWithSeed: return lamports(parsed.accounts.destination, parsed.data.amount)
    case SystemInstruction.CreateAccount: return lamports(parsed.accounts.newAccount, parsed.data.lamports)
    case SystemInstruction.CreateAccountWithSeed: return lamports(parsed.accounts.newAccount, parsed.data.amount)
    case SystemInstruction.WithdrawNonceAccount: return lamports(parsed.accounts.recipientAccount, parsed.data.withdrawAmount)
    case SystemInstruction.Assign: return result(kind, { approvals: [{ delegate: parsed.data.programAddress, amount: undefined, unlimited: true }] })
    case SystemInstruction.AssignWithSeed: return result(kind, { approvals: [{ delegate: parsed.data.programAddress, amount: undefined, unlimited: true }] })
    case SystemInstruction.AuthorizeNonceAccount: return result(kind, { approvals: [{ delegate: parsed.data.newNonceAuthority, amount: undefined, unlimited: true }] })
    case SystemInstruction.CreateAccountAllowPrefund: return result(kind, { opaque: `${kind} is not decoded` })
    default: return result(kind)
  }
}

function classifyToken(instruction: AnyInstruction, prefix: 'token' | 'token-2022'): Omit<ClassifiedInstruction, 'program'> {
  const discriminator = instruction.data[0]
  if (discriminator === undefined) return result(`${prefix}.unknown`, { opaque: 'empty token instruction' })
  if (prefix === 'token-2022' && discriminator > LAST_SHARED_TOKEN_INSTRUCTION) return result(`${prefix}.extension`, { opaque: 'Token-2022 extension instructions are not decoded' })
  let type: TokenInstruction
  try {
    type = identifyTokenInstruction(instruction)
  } catch {
    return result(`${prefix}.unknown`, { opaque: 'unknown token instruction' })
  }
  const kind = `${prefix}.${camel(TokenInstruction[type])}`
  if (type > LAST_SHARED_TOKEN_INSTRUCTION) return result(kind, { opaque: `${kind} is not decoded` })
  let parsed: ReturnType<typeof parseTokenInstruction>
  try {
    parsed = parseTokenInstruction(instruction)
  } catch {
    return result(kind, { opaque: `${kind} does not decode` })
  }
  switch (parsed.instructionType) {
    case TokenInstruction.Transfer:
      return result(kind, { transfers: [{ asset: undefined, destination: addr(parsed.accounts.destination), amount: parsed.data.amount }] })
    case TokenInstruction.TransferChecked:
      return result(kind, { transfers: [{ asset: addr(parsed.accounts.mint), destination: addr(parsed.accounts.destination), amount: parsed.data.amount }] })
    case TokenInstruction.CloseAccount:
      return result(kind, { transfers: [{ asset: 'native', destination: addr(parsed.accounts.destination), amount: undefined }] })
    case TokenInstruction.Approve:
    case TokenInstruction.ApproveChecked:
      return result(kind, { approvals: [{ delegate: addr(parsed.accounts.delegate), amount: parsed.data.amount, unlimited: parsed.data.amount >= U64_UNLIMITED }] })
    case TokenInstruction.SetAuthority: {
      const next = parsed.data.newAuthority
      return result(kind, { approvals: [{ delegate: next.__option === 'Some' ? next.value : undefined, amount: undefined, unlimited: true }] })
    }
    default:
      return result(kind)
  }
}

export function classifyInstruction(instruction: AnyInstruction): ClassifiedInstruction {
  const program = instruction.programAddress as string
  if (program === SYSTEM_PROGRAM_ADDRESS) return { program, ...classifySystem(instruction) }
  if (program === TOKEN_PROGRAM_ADDRESS) return { program, ...classifyToken(instruction, 'token') }
  if (program === TOKEN_2022_PROGRAM_ADDRESS) return { program, ...classifyToken(instruction, 'token-2022') }
  return { program, ...result(program) }
}
