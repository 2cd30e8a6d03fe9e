/** chain-id (any operation that names a chain), time-window, and the structured chain operations. */
import type { Condition } from '../schema/conditions.ts'
import type { CompiledCondition } from './compiledCondition.ts'
import { compileSet, inRange } from './sets.ts'

type Of<T extends Condition['type']> = Extract<Condition, { type: T }>

export function compileChainId(condition: Of<'chain-id'>): CompiledCondition {
  const set = compileSet(condition.set)
  return (ctx) => set(ctx.chainId(), ctx)
}

export function compileTimeWindow(condition: Of<'time-window'>): CompiledCondition {
  const { notBefore, notAfter } = condition
  return (ctx) => (notBefore === undefined || ctx.now >= notBefore) && (notAfter === undefined || ctx.now <= notAfter)
}

export function compileWithdrawal(condition: Of<'withdrawal'>): CompiledCondition {
  const assets = condition.asset === undefined ? undefined : new Set(condition.asset.map((a) => (a.startsWith('0x') ? a.toLowerCase() : a)))
  const to = condition.to === undefined ? undefined : compileSet(condition.to)
  return (ctx) => {
    const w = ctx.withdrawal()
    if (assets !== undefined && !assets.has(w.asset)) return false
    if (to !== undefined && !to(w.to, ctx)) return false
    return condition.amount === undefined || inRange(condition.amount, w.amount)
  }
}

export function compileTokenApproval(condition: Of<'token-approval'>): CompiledCondition {
  const token = condition.token === undefined ? undefined : compileSet(condition.token)
  const spender = condition.spender === undefined ? undefined : compileSet(condition.spender)
  return (ctx) => {
    const a = ctx.approval()
    if (token !== undefined && !token(a.token, ctx)) return false
    if (spender !== undefined && !spender(a.spender, ctx)) return false
    if (condition.amount !== undefined && !inRange(condition.amount, a.amount)) return false
    return condition.unlimited === undefined || a.unlimited === condition.unlimited
  }
}

