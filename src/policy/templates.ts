/**
 * Built-in policy templates, shipped as data (templates/*.json). An operator instantiates one
 * with `{ template: "polymarket-trader", params: { maxNotionalPerOrder: "100" }, name?: "…" }`:
 * parameters are decimal strings in the asset's usual unit ("100" pUSD, "2.5" POL), checked
 * and converted to base units with the decimals the template declares. In a template,
 * `{ "$param": "x" }` stands for parameter x; a property whose optional parameter is not given
 * is left out (with any object it leaves empty), and a condition carrying `"$ifParam": "x"` is
 * left out unless x is given. The result is an ordinary policy document, parsed like any other.
 */
import allowAll from './templates/allow-all.json' with { type: 'json' }
import polymarketTrader from './templates/polymarket-trader.json' with { type: 'json' }
import withdrawals from './templates/withdrawals.json' with { type: 'json' }
import { compilePolicy, type CompiledPolicy } from './compilePolicy.ts'
import { parsePolicy } from './parsePolicy.ts'
import { policyInvalid } from './policyError.ts'
import type { PolicyDocument } from './schema/policyDocument.ts'

type ParamSpec = { readonly description: string; readonly decimals: number; readonly optional?: boolean }
type Template = { readonly template: string; readonly description: string; readonly params: Readonly<Record<string, ParamSpec>>; readonly policy: unknown }

const TEMPLATES: ReadonlyMap<string, Template> = new Map(([allowAll, polymarketTrader, withdrawals] as Template[]).map((t) => [t.template, t]))

export const TEMPLATE_NAMES = [...TEMPLATES.keys()]

/** Names, descriptions and parameters of the built-in templates (for `policies list` and docs). */
export function describeTemplates(): { name: string; description: string; params: Record<string, ParamSpec> }[] {
  return [...TEMPLATES.values()].map((t) => ({ name: t.template, description: t.description, params: { ...t.params } }))
}

export type TemplateInstance = { readonly template: string; readonly params?: Readonly<Record<string, unknown>>; readonly name?: string }

export const isTemplateInstance = (value: unknown): value is TemplateInstance =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { template?: unknown }).template === 'string'

const DECIMAL = /^(0|[1-9][0-9]{0,40})(\.[0-9]{1,36})?$/
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function substitute(value: unknown, params: ReadonlyMap<string, unknown>): unknown {
  if (Array.isArray(value)) {
    return value.filter((item) => !(isRecord(item) && typeof item.$ifParam === 'string' && !params.has(item.$ifParam))).map((item) => substitute(item, params))
  }
  if (!isRecord(value)) return value
  if (typeof value.$param === 'string') return params.has(value.$param) ? params.get(value.$param) : undefined
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ifParam') continue
    const replaced = substitute(child, params)
    if (replaced === undefined) continue
    if (isRecord(child) && isRecord(replaced) && Object.keys(replaced).length === 0) continue
    out[key] = replaced
  }
  return out
}

/** The policy document a template instance stands for (validated). */
export function instantiateTemplate(instance: TemplateInstance): PolicyDocument {
  if (!isTemplateInstance(instance)) throw policyInvalid('template', 'expected { template, params?, name? }')
  const unknownKeys = Object.keys(instance).filter((key) => key !== 'template' && key !== 'params' && key !== 'name')
  if (unknownKeys.length > 0) throw policyInvalid(unknownKeys[0]!, 'unknown field in a template instance')
  const template = TEMPLATES.get(instance.template)
  if (template === undefined) throw policyInvalid('template', `unknown template "${instance.template}" (built-in: ${TEMPLATE_NAMES.join(', ')})`)
  const given = instance.params ?? {}
  if (!isRecord(given)) throw policyInvalid('params', 'expected an object')
  const params = new Map<string, unknown>()
  for (const key of Object.keys(given)) if (!Object.hasOwn(template.params, key)) throw policyInvalid(`params.${key}`, `"${instance.template}" takes no parameter "${key}"`)
  for (const [key, spec] of Object.entries(template.params)) {
    const value = Object.hasOwn(given, key) ? given[key] : undefined
    if (value === undefined) {
      if (spec.optional !== true) throw policyInvalid(`params.${key}`, `required: ${spec.description}`)
      continue
    }
    if (typeof value !== 'string' || !DECIMAL.test(value)) throw policyInvalid(`params.${key}`, `expected a decimal string such as "100" or "2.5" (${spec.description})`)
    params.set(key, { value, decimals: spec.decimals })
  }
  const document = substitute(template.policy, params) as Record<string, unknown>
  if (instance.name !== undefined) document.name = instance.name
  return parsePolicy(document)
}

/** A policy document or a template instance, parsed and compiled. */
export function loadPolicySource(input: unknown): CompiledPolicy {
  let value = input
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input)
    } catch {
      throw policyInvalid('(document)', 'not valid JSON')
    }
  }
  return compilePolicy(isTemplateInstance(value) ? instantiateTemplate(value) : parsePolicy(value))
}
