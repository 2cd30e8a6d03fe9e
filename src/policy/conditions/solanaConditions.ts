/**
 * Conditions on a Solana transaction. Transfer and approval conditions are "every": each
 * transfer (approval) in the transaction must satisfy them, and a transaction with none
 * satisfies them. An instruction whose effect on value is not decoded, or an address or amount
 * the transaction does not state, makes them Undecodable rather than letting it through.
 * Only top-level instructions are visible: pair these with a solana-program or
 * solana-instruction allow-list so no other program can move funds by CPI.
 */
import { undecodable } from '../decode/undecodable.ts'
import type { RequestContext } from '../evaluation/requestContext.ts'
import type { Condition } from '../schema/conditions.ts'
import type { CompiledCondition } from './compiledCondition.ts'
import { compileSet, inRange } from './sets.ts'

type Of<T extends Condition['type']> = Extract<Condition, { type: T }>

export function compileSolanaProgram(condition: Of<'solana-program'>): CompiledCondition {
  const set = compileSet(condition.set)
  // in: every program invoked is listed; notIn: none is (compileSet's notIn, per program).
  return (ctx) => ctx.solanaTransaction().programs.every((program) => set(program, ctx))
}

export function compileSolanaInstruction(condition: Of<'solana-instruction'>): CompiledCondition {
  const allowed = new Set(condition.in)
  // Each instruction is listed by its kind ("system.transferSol") or by its program id.
  return (ctx) => ctx.solanaTransaction().instructions.every((ix) => allowed.has(ix.kind) || allowed.has(ix.program))
}

function assertDecoded(ctx: RequestContext): void {
  for (const ix of ctx.solanaTransaction().instructions) if (ix.opaque !== undefined) undecodable(ix.opaque)
}

export function compileSolanaTransfer(condition: Of<'solana-transfer'>): CompiledCondition {
  const assets = condition.asset === undefined ? undefined : new Set(condition.asset)
  const destination = condition.destination === undefined ? undefined : compileSet(condition.destination)
  return (ctx) => {
    assertDecoded(ctx)
    for (const ix of ctx.solanaTransaction().instructions) {
      for (const transfer of ix.transfers) {
        if (assets !== undefined) {
          if (transfer.asset === undefined) return undecodable(`${ix.kind} does not name its mint; use transferChecked`)
          if (!assets.has(transfer.asset)) return false
        }
        if (destination !== undefined) {
          if (transfer.destination === undefined) return undecodable('a transfer destination comes from an address lookup table')
          if (!destination(transfer.destination, ctx)) return false
        }
        if (condition.amount !== undefined) {
          if (transfer.amount === undefined) return undecodable(`${ix.kind} moves an amount it does not state`)
          if (!inRange(condition.amount, transfer.amount)) return false
        }
      }
    }
    return true
  }
}

export function compileSolanaApproval(condition: Of<'solana-approval'>): CompiledCondition {
  const delegate = condition.delegate === undefined ? undefined : compileSet(condition.delegate)
  return (ctx) => {
    assertDecoded(ctx)
    for (const ix of ctx.solanaTransaction().instructions) {
      for (const approval of ix.approvals) {
        if (delegate !== undefined) {
          if (approval.delegate === undefined) return undecodable('a delegate comes from an address lookup table or is none')
          if (!delegate(approval.delegate, ctx)) return false
        }
        // An authority handed over (SetAuthority, Assign) has no amount: it is unlimited.
        if (condition.amount !== undefined && (approval.amount === undefined || !inRange(condition.amount, approval.amount))) return false
        if (condition.unlimited !== undefined && approval.unlimited !== condition.unlimited) return false
      }
    }
    return true
  }
}

export function compileSolanaFeePayer(condition: Of<'solana-fee-payer'>): CompiledCondition {
  const set = compileSet(condition.set)
  return (ctx) => set(ctx.solanaTransaction().feePayer, ctx)
}
