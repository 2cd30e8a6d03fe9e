/** Conditions on EIP-712 typed data: primary type and kind, domain fields, field paths, permits, ClobAuth. */
import { parseFieldPath, resolveFieldPath } from '../decode/typedDataPath.ts'
import { compileMessagePattern } from '../messagePattern.ts'
import { userFieldOf } from '../policyUser.ts'
import type { RequestContext } from '../evaluation/requestContext.ts'
import type { Condition } from '../schema/conditions.ts'
import type { CompiledCondition } from './compiledCondition.ts'
import { compileSet, inRange } from './sets.ts'

type Of<T extends Condition['type']> = Extract<Condition, { type: T }>
const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/

export function compileTypedData(condition: Of<'typed-data'>): CompiledCondition {
  const primaryType = condition.primaryType === undefined ? undefined : compileSet(condition.primaryType)
  const kinds = condition.kind === undefined ? undefined : new Set<string>(condition.kind)
  return (ctx) => {
    const view = ctx.typedData()
    return (primaryType === undefined || primaryType(view.primaryType, ctx)) && (kinds === undefined || kinds.has(view.kind))
  }
}

export function compileTypedDataDomain(condition: Of<'typed-data-domain'>): CompiledCondition {
  const name = condition.name === undefined ? undefined : compileSet(condition.name)
  const version = condition.version === undefined ? undefined : compileSet(condition.version)
  const chainId = condition.chainId === undefined ? undefined : compileSet(condition.chainId)
  const verifyingContract = condition.verifyingContract === undefined ? undefined : compileSet(condition.verifyingContract)
  return (ctx) => {
    const { domain } = ctx.typedData()
    // A domain field the digest does not cover is absent: it satisfies no `in` and every `notIn`.
    if (name !== undefined && !name(domain.name, ctx)) return false
    if (version !== undefined && !version(domain.version, ctx)) return false
    if (chainId !== undefined && !chainId(domain.chainId === undefined || domain.chainId > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(domain.chainId), ctx)) return false
    return verifyingContract === undefined || verifyingContract(domain.verifyingContract, ctx)
  }
}

type Scalar = string | bigint | boolean

/** Canonical text of a scalar so that constants and message values compare: 137 ≡ "137" ≡ 137n. */
function canonical(value: Scalar | number): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'bigint' || typeof value === 'number') return `#${BigInt(value)}`
  if (/^-?(0|[1-9][0-9]*)$/.test(value)) return `#${value}`
  return EVM_ADDRESS.test(value) ? value.toLowerCase() : value
}

function constantMatcher(items: readonly (string | number | boolean)[]): (value: Scalar, ctx: RequestContext) => boolean {
  const constants = new Set<string>()
  const refs: NonNullable<ReturnType<typeof userFieldOf>>[] = []
  for (const item of items) {
    const field = typeof item === 'string' ? userFieldOf(item) : undefined
    if (field === undefined) constants.add(canonical(item))
    else refs.push(field)
  }
  return (value, ctx) => {
    const key = canonical(value)
    return constants.has(key) || refs.some((field) => ctx.userValues(field).some((v) => canonical(v) === key))
  }
}

export function compileTypedDataField(condition: Of<'typed-data-field'>): CompiledCondition {
  const path = parseFieldPath(condition.path)
  const read = (ctx: RequestContext) => resolveFieldPath(ctx.typedData(), path)
  if (condition.matches !== undefined) {
    const pattern = compileMessagePattern(condition.matches)
    return (ctx) => {
      const value = read(ctx)
      return typeof value === 'string' && pattern.test(value)
    }
  }
  if (condition.lte !== undefined || condition.gte !== undefined) {
    const range = { lte: condition.lte, gte: condition.gte }
    return (ctx) => {
      const value = read(ctx)
      return typeof value === 'bigint' && inRange(range, value)
    }
  }
  const negate = condition.notIn !== undefined
  const matcher = constantMatcher(condition.notIn ?? condition.in ?? [condition.eq!])
  return (ctx) => {
    const value = read(ctx)
    // A path the types do not define is absent: it equals nothing, and is in no set.
    if (value === undefined) return negate
    return matcher(value, ctx) !== negate
  }
}

export function compilePermit(condition: Of<'permit'>): CompiledCondition {
  const kinds = condition.kind === undefined ? undefined : new Set<string>(condition.kind)
  const token = condition.token === undefined ? undefined : compileSet(condition.token)
  const spender = condition.spender === undefined ? undefined : compileSet(condition.spender)
  return (ctx) => {
    const permit = ctx.permit()
    if (permit === null || (kinds !== undefined && !kinds.has(permit.kind))) return false
    if (spender !== undefined && !spender(permit.spender, ctx)) return false
    const nowSeconds = BigInt(Math.floor(ctx.now / 1000))
    const within = (limit: NonNullable<typeof condition.deadline>, seconds: bigint) =>
      (limit.lte === undefined || seconds * 1000n <= BigInt(limit.lte)) && (limit.maxSecondsFromNow === undefined || seconds <= nowSeconds + BigInt(limit.maxSecondsFromNow))
    if (condition.deadline !== undefined && !within(condition.deadline, permit.deadline)) return false
    for (const entry of permit.entries) {
      if (token !== undefined && !token(entry.token, ctx)) return false
      if (condition.amount !== undefined && !inRange(condition.amount, entry.amount)) return false
      if (condition.unlimited !== undefined && entry.unlimited !== condition.unlimited) return false
      // Permit2 allowances also expire; signature transfers have no allowance expiration.
      if (condition.expiration !== undefined && (entry.expiration === undefined || !within(condition.expiration, entry.expiration))) return false
    }
    return true
  }
}

export function compileClobAuth(condition: Of<'clob-auth'>): CompiledCondition {
  const address = condition.address === undefined ? undefined : compileSet(condition.address)
  return (ctx) => {
    const auth = ctx.clobAuth()
    return auth !== null && (address === undefined || address(auth.address, ctx))
  }
}
