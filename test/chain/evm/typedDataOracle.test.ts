/**
 * viem's hashTypedData as the oracle: random schemas (struct graphs without cycles, every field
 * type, nested and fixed arrays, arrays of structs, implied or explicit EIP712Domain) and random
 * conforming messages, in every input form the vault accepts, hash to viem's digest byte for byte.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { getAddress, hashTypedData } from 'viem'
import { hashTypedDataInput } from '../../../src/chain/evm/signTypedData.ts'

type Field = { name: string; type: string }
type Types = Record<string, Field[]>

const hexOf = (bytes: Uint8Array, upper = false) => `0x${Buffer.from(bytes).toString('hex')[upper ? 'toUpperCase' : 'toLowerCase']()}`
const bytesHex = (min: number, max: number) =>
  fc.tuple(fc.uint8Array({ minLength: min, maxLength: max }), fc.boolean()).map(([b, upper]) => hexOf(b, upper))
const address = fc.tuple(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.boolean()).map(([b, checksummed]) => (checksummed ? getAddress(hexOf(b)) : hexOf(b)))
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constant('lone \ud800 surrogate'), fc.string({ minLength: 30, maxLength: 90 }))

/** An integer in range, as bigint, decimal string, 0x-hex string (non-negative) or safe number. */
function integer(bits: number, signed: boolean) {
  const max = (1n << BigInt(signed ? bits - 1 : bits)) - 1n
  return fc.tuple(fc.bigInt({ min: signed ? -max - 1n : 0n, max }), fc.nat(3)).map(([n, form]) => {
    if (form === 1) return n.toString()
    if (form === 2 && n >= 0n) return `0x${n.toString(16)}`
    if (form === 3 && n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(n)
    return n
  })
}

function valueOf(types: Types, type: string): fc.Arbitrary<unknown> {
  const array = /^(.*)\[([0-9]*)\]$/.exec(type)
  if (array) {
    const element = valueOf(types, array[1]!)
    return array[2] === '' ? fc.array(element, { maxLength: 2 }) : fc.array(element, { minLength: Number(array[2]), maxLength: Number(array[2]) })
  }
  const struct = types[type]
  if (struct) return fc.tuple(...struct.map((f) => valueOf(types, f.type))).map((values) => Object.fromEntries(struct.map((f, i) => [f.name, values[i]])))
  if (type === 'address') return address
  if (type === 'bool') return fc.boolean()
  if (type === 'string') return text
  if (type === 'bytes') return bytesHex(0, 70)
  const fixed = /^bytes([0-9]+)$/.exec(type)
  if (fixed) return bytesHex(Number(fixed[1]), Number(fixed[1]))
  const int = /^(u?)int([0-9]+)$/.exec(type)!
  return integer(Number(int[2]), int[1] === '')
}

const structName = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$:]{0,6}$/).filter((n) => !/^(?:address|bool|string|(?:u?int|bytes)[0-9]*|EIP712Domain)$/.test(n))
const fieldName = fc.string({ maxLength: 6 }).filter((n) => n !== '__proto__')
const atom = fc.oneof(
  fc.integer({ min: 1, max: 32 }).map((n) => `uint${8 * n}`),
  fc.integer({ min: 1, max: 32 }).map((n) => `int${8 * n}`),
  fc.integer({ min: 1, max: 32 }).map((n) => `bytes${n}`),
  fc.constantFrom('address', 'bool', 'bytes', 'string'),
)
const dims = fc.array(fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }), { maxLength: 2 }).map((ds) => ds.map((d) => `[${d ?? ''}]`).join(''))

/** Struct i references only structs after it, so the graph has no cycle; struct 0 is primary. */
const schema = fc.uniqueArray(structName, { minLength: 1, maxLength: 4 }).chain((names) =>
  fc
    .tuple(
      ...names.map((_, i) => {
        const base = i + 1 < names.length ? fc.oneof(atom, fc.constantFrom(...names.slice(i + 1))) : atom
        return fc.uniqueArray(fc.record({ name: fieldName, type: fc.tuple(base, dims).map(([b, d]) => b + d) }), { maxLength: 4, selector: (f) => f.name })
      }),
    )
    .map((fields) => ({ types: Object.fromEntries(names.map((n, i) => [n, fields[i]!])) as Types, primaryType: names[0]! })),
)

const domain = fc.record(
  { name: text, version: fc.string({ maxLength: 4 }), chainId: integer(64, false), verifyingContract: address, salt: bytesHex(32, 32) },
  { requiredKeys: [] },
)
const DOMAIN_ORDER = ['name', 'version', 'chainId', 'verifyingContract', 'salt']
const DOMAIN_TYPES: Record<string, string> = { name: 'string', version: 'string', chainId: 'uint256', verifyingContract: 'address', salt: 'bytes32' }

const typedData = fc
  .tuple(schema, domain, fc.nat(9), fc.boolean())
  .chain(([{ types, primaryType }, dom, choice, reversed]) => {
    // Sometimes an explicit EIP712Domain (possibly in a non-standard order), sometimes EIP712Domain as primaryType.
    const present = DOMAIN_ORDER.filter((k) => k in dom)
    const explicit = choice < 3 ? { EIP712Domain: (reversed ? present.reverse() : present).map((name) => ({ name, type: DOMAIN_TYPES[name]! })) } : {}
    const primary = choice === 9 ? 'EIP712Domain' : primaryType
    return valueOf(types, primaryType).map((message) => ({ domain: dom, types: { ...types, ...explicit }, primaryType: primary, message }))
  })

describe('random schemas and messages hash as viem hashTypedData does', () => {
  it('as given (bigints, numbers, strings), and after a JSON round trip', () => {
    fc.assert(
      fc.property(typedData, (typed) => {
        const expected = hashTypedData(typed as never)
        assert.equal(hexOf(hashTypedDataInput(typed as never)), expected)
        const json = JSON.parse(JSON.stringify(typed, (_, v) => (typeof v === 'bigint' ? v.toString() : v)))
        assert.equal(hexOf(hashTypedDataInput(json)), expected)
      }),
      { numRuns: 600 },
    )
  })
})
