/**
 * Membership and range tests compiled once: constants in a Set, `$user` references resolved
 * per request through the context (memoised there). A value the request does not have
 * (`undefined`) is in no set: `in` fails and `notIn` holds — callers that must not let an
 * unknown value through a deny-list check for it first.
 */
import { userFieldOf, type UserField } from '../policyUser.ts'
import type { RequestContext } from '../evaluation/requestContext.ts'
import type { SetSpec } from '../schema/values.ts'

export type CompiledSet<T> = (value: T | undefined, ctx: RequestContext) => boolean

export function compileSet<T extends string | number | bigint>(spec: SetSpec<T>): CompiledSet<T> {
  const items = (spec.in ?? spec.notIn) as readonly T[]
  const constants = new Set<T>()
  const refs: UserField[] = []
  for (const item of items) {
    const field = typeof item === 'string' ? userFieldOf(item) : undefined
    if (field === undefined) constants.add(item)
    else refs.push(field)
  }
  const has = refs.length === 0
    ? (value: T) => constants.has(value)
    : (value: T, ctx: RequestContext) => constants.has(value) || refs.some((field) => ctx.userValues(field).includes(value as string))
  return spec.in !== undefined ? (value, ctx) => value !== undefined && has(value, ctx) : (value, ctx) => value === undefined || !has(value, ctx)
}

export type Range = { readonly lte?: bigint | undefined; readonly gte?: bigint | undefined }

export const inRange = (range: Range, value: bigint): boolean => (range.lte === undefined || value <= range.lte) && (range.gte === undefined || value >= range.gte)

/** Every item of a set condition, for schema-level checks. */
export const setItems = <T>(spec: SetSpec<T>): readonly T[] => spec.in ?? spec.notIn
