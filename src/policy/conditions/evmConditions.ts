/** Conditions on an EVM transaction: recipient, native value, selector, ERC-20 and setApprovalForAll calls. */
import type { Condition } from '../schema/conditions.ts'
import type { CompiledCondition } from './compiledCondition.ts'
import { compileSet, inRange } from './sets.ts'

type Of<T extends Condition['type']> = Extract<Condition, { type: T }>
const optionalSet = (spec: Parameters<typeof compileSet<string>>[0] | undefined) => (spec === undefined ? undefined : compileSet(spec))

export function compileEvmTo(condition: Of<'evm-to'>): CompiledCondition {
  const set = compileSet(condition.set)
  // A contract creation has no `to`: it is in no set.
  return (ctx) => set(ctx.evmTransaction().to ?? undefined, ctx)
}

export function compileNativeValue(condition: Of<'native-value'>): CompiledCondition {
  return (ctx) => inRange(condition, ctx.evmTransaction().value)
}

export function compileSelector(condition: Of<'selector'>): CompiledCondition {
  const set = compileSet(condition.set)
  return (ctx) => set(ctx.evmTransaction().selector, ctx)
}

export function compileErc20(condition: Of<'erc20'>): CompiledCondition {
  const functions = condition.functions === undefined ? undefined : new Set<string>(condition.functions)
  const token = optionalSet(condition.token)
  const from = optionalSet(condition.from)
  const recipient = optionalSet(condition.recipient)
  const spender = optionalSet(condition.spender)
  return (ctx) => {
    const call = ctx.erc20()
    if (call === null || (functions !== undefined && !functions.has(call.function))) return false
    if (token !== undefined && !token(call.token, ctx)) return false
    // A field check needs the field: an approve has no recipient, a transfer no spender.
    if (from !== undefined && (call.from === undefined || !from(call.from, ctx))) return false
    if (recipient !== undefined && (call.recipient === undefined || !recipient(call.recipient, ctx))) return false
    if (spender !== undefined && (call.spender === undefined || !spender(call.spender, ctx))) return false
    if (condition.amount !== undefined && !inRange(condition.amount, call.amount)) return false
    if (condition.unlimited !== undefined && call.unlimited !== condition.unlimited) return false
    return true
  }
}

export function compileSetApprovalForAll(condition: Of<'set-approval-for-all'>): CompiledCondition {
  const token = optionalSet(condition.token)
  const operator = optionalSet(condition.operator)
  return (ctx) => {
    const call = ctx.approvalForAll()
    if (call === null) return false
    if (token !== undefined && !token(call.token, ctx)) return false
    if (operator !== undefined && !operator(call.operator, ctx)) return false
    return condition.approved === undefined || call.approved === condition.approved
  }
}
