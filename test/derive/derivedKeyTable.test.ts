import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { DerivedKeyTable } from '../../src/derive/derivedKeyTable.ts'

const key = fc.uint8Array({ minLength: 33, maxLength: 33 })
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

describe('DerivedKeyTable', () => {
  it('answers like a first-occurrence scan, duplicates included, across growth', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 300 }), fc.array(fc.nat(), { maxLength: 80 }), (keys, duplicatePicks) => {
        const all: Uint8Array[] = [...keys]
        for (const pick of duplicatePicks) if (keys.length > 0) all.push(keys[pick % keys.length] as Uint8Array)
        const table = new DerivedKeyTable()
        for (const k of all) table.append(k)
        assert.equal(table.count, all.length)
        const firstIndex = new Map<string, number>()
        all.forEach((k, i) => firstIndex.has(hex(k)) || firstIndex.set(hex(k), i))
        for (const k of all) assert.equal(table.indexOf(k), firstIndex.get(hex(k)))
      }),
      { numRuns: 200 },
    )
  })

  it('confirms a tag match with the full 33 bytes: keys sharing the first 32 bits of x stay distinct', () => {
    const table = new DerivedKeyTable()
    const make = (tail: number): Uint8Array => Uint8Array.from([2, 0xde, 0xad, 0xbe, 0xef, ...new Array<number>(27).fill(0), tail])
    for (let tail = 0; tail < 50; tail++) table.append(make(tail))
    for (let tail = 0; tail < 50; tail++) assert.equal(table.indexOf(make(tail)), tail)
    assert.equal(table.indexOf(make(200)), -1)
    const otherParity = make(3)
    otherParity[0] = 3
    assert.equal(table.indexOf(otherParity), -1)
  })

  it('reserve sizes the arrays once: 10,000 keys take 33 bytes each plus a ≤ 2/3-full slot table', () => {
    const table = new DerivedKeyTable()
    table.reserve(10_000)
    const before = table.byteLength
    for (let i = 0; i < 10_000; i++) {
      const k = new Uint8Array(33)
      k[0] = 2
      new DataView(k.buffer).setUint32(1, Math.imul(i, 2654435761) >>> 0)
      new DataView(k.buffer).setUint32(29, i)
      table.append(k)
    }
    assert.equal(table.byteLength, before)
    assert.equal(table.byteLength, 10_000 * 33 + 16_384 * 8)
  })
})
