/**
 * Checks a Solana transaction a bridge API built for the user before Coffre signs it, and puts a
 * fresh blockhash in it (DLN's docs advise replacing the one it was built with). Refused with
 * COFFRE_UPSTREAM_FAILED unless: it decodes, the user is the fee payer and the only signer,
 * every top-level instruction calls an allowed program, address lookup tables are not used, and
 * top-level System Program instructions are transfers from the user totalling at most
 * `maxSystemLamports`. What the bridge program does inside (CPI) is the trust placed in the
 * allowed program itself.
 */
import {
  address,
  getCompiledTransactionMessageDecoder,
  getCompiledTransactionMessageEncoder,
  getTransactionDecoder,
  getTransactionEncoder,
  type Transaction,
} from '@solana/kit'
import { CoffreError } from '../../errors.ts'

export const SYSTEM_PROGRAM = '11111111111111111111111111111111'
export const COMPUTE_BUDGET_PROGRAM = 'ComputeBudget111111111111111111111111111111'
export const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'
export const ASSOCIATED_TOKEN_PROGRAM = 'ATokenGPvbdGVxr1b2hvZbsiqW5xUW8ZWyFeANzbaPGT'

const refuse = (why: string) => new CoffreError('COFFRE_UPSTREAM_FAILED', `the bridge transaction was refused: ${why}`)

function systemTransferLamports(data: Uint8Array): bigint | undefined {
  // SystemInstruction::Transfer = u32 LE 2, then u64 LE lamports.
  if (data.length !== 12) return undefined
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  return view.getUint32(0, true) === 2 ? view.getBigUint64(4, true) : undefined
}

export function prepareBridgeTransaction(
  wire: Uint8Array,
  checks: { payer: string; allowedPrograms: readonly string[]; maxSystemLamports: bigint; blockhash: string },
): Uint8Array {
  let transaction: Transaction
  let message: ReturnType<ReturnType<typeof getCompiledTransactionMessageDecoder>['decode']>
  try {
    transaction = getTransactionDecoder().decode(wire)
    message = getCompiledTransactionMessageDecoder().decode(transaction.messageBytes)
  } catch (cause) {
    throw new CoffreError('COFFRE_UPSTREAM_FAILED', 'the bridge transaction does not decode', { cause })
  }
  if (message.version === 1) throw refuse('unsupported transaction version')
  const keys = message.staticAccounts.map(String)
  if (keys[0] !== checks.payer) throw refuse('the user is not the fee payer')
  if (message.header.numSignerAccounts !== 1) throw refuse('it needs signers other than the user')
  if ('addressTableLookups' in message && (message.addressTableLookups?.length ?? 0) > 0) throw refuse('address lookup tables are not accepted')
  let lamports = 0n
  for (const instruction of message.instructions) {
    const program = keys[instruction.programAddressIndex]
    if (program === undefined || !checks.allowedPrograms.includes(program)) throw refuse(`it calls a program that is not allowed (${program ?? 'unknown'})`)
    if (program !== SYSTEM_PROGRAM) continue
    const amount = systemTransferLamports(new Uint8Array(instruction.data ?? []))
    const from = keys[instruction.accountIndices?.[0] ?? -1]
    if (amount === undefined || from !== checks.payer) throw refuse('a System Program instruction is not a transfer from the user')
    lamports += amount
  }
  if (lamports > checks.maxSystemLamports) throw refuse(`it transfers ${lamports} lamports, more than the ${checks.maxSystemLamports} expected`)
  const refreshed = getCompiledTransactionMessageEncoder().encode({ ...message, lifetimeToken: address(checks.blockhash) as unknown as typeof message.lifetimeToken })
  return new Uint8Array(getTransactionEncoder().encode({ messageBytes: refreshed as Transaction['messageBytes'], signatures: { [checks.payer]: null } as Transaction['signatures'] }))
}
