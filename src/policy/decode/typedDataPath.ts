/**
 * Resolves a field path ("maker", "details.spender", "permitted[0].amount") through the typed
 * data's own struct definitions, from primaryType down: a key that is in the message but not
 * in the types is not hashed, so it is never seen. Returns the canonical scalar (see
 * canonicalScalar), or `undefined` when the path does not name a scalar field of the types.
 */
import type { TypedDataView } from './typedData.ts'
import { canonicalScalar, ownField } from './typedDataValues.ts'
import { undecodable } from './undecodable.ts'

export type PathSegment = string | number

export function parseFieldPath(path: string): PathSegment[] {
  const out: PathSegment[] = []
  for (const [, name, index] of path.matchAll(/\.?([A-Za-z_$][A-Za-z0-9_$]*)|\[([0-9]+)\]/g)) out.push(name ?? Number(index))
  return out
}

function fieldType(types: TypedDataView['types'], struct: string, name: string): string | undefined {
  const fields = Object.hasOwn(types, struct) ? types[struct] : undefined
  if (!Array.isArray(fields)) return undefined
  for (const field of fields as unknown[]) {
    const f = field as { name?: unknown; type?: unknown } | null
    if (f !== null && typeof f === 'object' && f.name === name && typeof f.type === 'string') return f.type
  }
  return undefined
}

export function resolveFieldPath(view: TypedDataView, segments: readonly PathSegment[]): string | bigint | boolean | undefined {
  let type = view.primaryType
  let value: unknown = view.message
  for (const segment of segments) {
    if (typeof segment === 'number') {
      const array = /^(.*)\[([0-9]*)\]$/.exec(type)
      if (array === null) return undefined
      if (!Array.isArray(value)) return undecodable(`${type} value is not an array`)
      if (segment >= value.length) return undefined
      type = array[1]!
      value = value[segment]
    } else {
      const next = fieldType(view.types, type, segment)
      if (next === undefined) return undefined
      type = next
      value = ownField(value, segment)
      if (value === undefined) return undecodable(`field ${segment} is missing`)
    }
  }
  return canonicalScalar(type, value, segments.join('.'))
}
