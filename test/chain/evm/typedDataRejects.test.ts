/**
 * Bad typed data: what viem's hashTypedData refuses, signTypedData refuses too, as
 * COFFRE_SIGNING_FAILED naming the field; a few coercions viem allows are refused on purpose;
 * arbitrary junk never escapes as anything but that error.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { getAddress, hashTypedData } from 'viem'
import { isCoffreError } from '../../../src/errors.ts'
import { hashTypedDataInput } from '../../../src/chain/evm/signTypedData.ts'

const signingFailed = (pattern: RegExp) => (e: unknown) => isCoffreError(e) && e.code === 'COFFRE_SIGNING_FAILED' && pattern.test(e.message)
const show = (v: unknown) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x))

const person = [{ name: 'name', type: 'string' }, { name: 'wallet', type: 'address' }]
const base = {
  domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
  types: {
    Person: person,
    Mail: [{ name: 'from', type: 'Person' }, { name: 'to', type: 'Person[]' }, { name: 'amount', type: 'uint8' }, { name: 'delta', type: 'int8' }, { name: 'tag', type: 'bytes4' }, { name: 'ok', type: 'bool' }],
  },
  primaryType: 'Mail',
  message: { from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' }, to: [{ name: 'Bob', wallet: '0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' }], amount: 7, delta: -3, tag: '0x01020304', ok: true },
}
const withMessage = (patch: Record<string, unknown>) => ({ ...base, message: { ...base.message, ...patch } })
const single = (type: string, value: unknown) => ({ domain: {}, types: { T: [{ name: 'f', type }] }, primaryType: 'T', message: { f: value } })
const without = (key: keyof typeof base.message) => {
  const { [key]: _, ...message } = base.message
  return { ...base, message }
}

describe('rejection parity with viem hashTypedData', () => {
  const cases: [string, unknown, RegExp][] = [
    ['uint8 above range (number)', withMessage({ amount: 256 }), /message\.amount: 256 is out of range for uint8/],
    ['uint8 above range (string)', withMessage({ amount: '256' }), /message\.amount: "256" is out of range/],
    ['uint negative', withMessage({ amount: '-1' }), /message\.amount: "-1" is out of range/],
    ['int8 below range', withMessage({ delta: -129 }), /message\.delta: -129 is out of range for int8/],
    ['int8 above range', withMessage({ delta: 128n }), /message\.delta: 128 is out of range/],
    ['uint256 2^256', single('uint256', (1n << 256n).toString()), /message\.f: .* out of range for uint256/],
    ['uint not a number', withMessage({ amount: 'twelve' }), /message\.amount: expected uint8/],
    ['uint not an integer', withMessage({ amount: 1.5 }), /message\.amount: expected uint8/],
    ['uint in an array', single('uint8[]', [1, 300]), /message\.f\[1\]: 300 is out of range/],
    ['bytes4 too short', withMessage({ tag: '0x0102' }), /message\.tag: expected bytes4 .* got 2 bytes/],
    ['bytes4 too long', withMessage({ tag: '0x0102030405' }), /message\.tag: expected bytes4/],
    ['bytes32 in an array', single('bytes32[]', ['0x00']), /message\.f\[0\]: expected bytes32/],
    ['salt of the domain', { ...base, domain: { ...base.domain, salt: '0x01' } }, /domain\.salt: expected bytes32/],
    ['address too short', withMessage({ from: { name: 'Cow', wallet: '0x1234' } }), /message\.from\.wallet: invalid address "0x1234"/],
    ['address with a wrong checksum', withMessage({ from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD827' } }), /message\.from\.wallet: .*wrong EIP-55 checksum/],
    ['address all upper case', withMessage({ from: { name: 'Cow', wallet: '0xCD2A3D9F938E13CD947EC05ABC7FE734DF8DD826' } }), /message\.from\.wallet: .*checksum/],
    ['address with 0X', withMessage({ from: { name: 'Cow', wallet: '0Xcd2a3d9f938e13cd947ec05abc7fe734df8dd826' } }), /message\.from\.wallet: invalid address/],
    ['address in an array of structs', withMessage({ to: [{ name: 'Bob', wallet: 'bob' }] }), /message\.to\[0\]\.wallet: invalid address "bob"/],
    ['verifyingContract', { ...base, domain: { ...base.domain, verifyingContract: '0x12' } }, /domain\.verifyingContract: invalid address/],
    ['chainId not a number', { ...base, domain: { ...base.domain, chainId: 'abc' } }, /domain\.chainId: expected uint256/],
    ['bool as a string', withMessage({ ok: 'true' }), /message\.ok: expected bool/],
    ['bool as a number', withMessage({ ok: 1 }), /message\.ok: expected bool/],
    ['missing uint', without('amount'), /message\.amount: missing uint8 field/],
    ['missing struct', without('from'), /message\.from: missing Person field/],
    ['missing array', without('to'), /message\.to: missing Person\[\] field/],
    ['missing nested field', withMessage({ from: { name: 'Cow' } }), /message\.from\.wallet: missing address field/],
    ['null struct', withMessage({ from: null }), /message\.from: expected Person as an object, got null/],
    ['array not an array', withMessage({ to: 'Bob' }), /message\.to: expected Person\[\] as an array/],
    ['struct array element null', withMessage({ to: [null] }), /message\.to\[0\]: expected Person as an object/],
    ['missing explicit domain field', { ...base, types: { ...base.types, EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'salt', type: 'bytes32' }] } }, /domain\.salt: missing bytes32 field/],
    ['unknown primaryType', { ...base, primaryType: 'Letter' }, /primaryType "Letter" is not defined in types/],
    ['unknown field type', single('Letter', {}), /type "Letter" of T\.f is not a valid EIP-712 type/],
    ['uint7', single('uint7', 1), /type "uint7"/],
    ['bare uint', single('uint', 1), /type "uint"/],
    ['bare uint array', single('uint[]', [1]), /type "uint\[\]"/],
    ['bytes0', single('bytes0', '0x'), /type "bytes0"/],
    ['bytes33', single('bytes33', '0x'), /type "bytes33"/],
    ['struct named like a Solidity type', { ...single('uint8', 1), types: { T: [{ name: 'f', type: 'uint8' }], uint8: [] } }, /struct type "uint8" is not a valid name/],
    ['struct name with a dash', { ...single('uint8', 1), types: { T: [{ name: 'f', type: 'uint8' }], 'T-1': [] } }, /struct type "T-1"/],
    ['cyclic type (self)', { domain: {}, types: { T: [{ name: 'next', type: 'T' }] }, primaryType: 'T', message: { next: { next: {} } } }, /message\.next\.next\.next: missing T field/],
    ['cyclic types (A -> B -> A)', { domain: {}, types: { A: [{ name: 'b', type: 'B' }], B: [{ name: 'a', type: 'A' }] }, primaryType: 'A', message: { b: { a: { b: {} } } } }, /message\.b\.a\.b\.a: missing A field/],
    ['message null', { ...base, message: null }, /domain and message must be objects/],
    ['types entry not an array', { ...base, types: { ...base.types, Person: 'x' } }, /types\.Person must be an array/],
  ]
  for (const [label, typed, pattern] of cases) {
    it(label, () => {
      assert.throws(() => hashTypedData(typed as never), Error, `viem accepted ${show(typed)}`)
      assert.throws(() => hashTypedDataInput(typed as never), signingFailed(pattern), show(typed))
    })
  }

  it('random out-of-range integers, wrong-length bytesN and corrupted checksums', () => {
    const intCase = fc.tuple(fc.integer({ min: 1, max: 32 }), fc.boolean(), fc.boolean(), fc.bigInt({ min: 1n, max: 1n << 300n })).map(([n, signed, below, by]) => {
      const bits = 8 * n
      const max = (1n << BigInt(signed ? bits - 1 : bits)) - 1n
      const value = below ? (signed ? -max - 1n : 0n) - by : max + by
      return single(`${signed ? '' : 'u'}int${bits}`, value.toString())
    })
    const bytesCase = fc.tuple(fc.integer({ min: 1, max: 32 }), fc.integer({ min: 0, max: 40 })).filter(([n, len]) => n !== len).map(([n, len]) => single(`bytes${n}`, `0x${'ab'.repeat(len)}`))
    // Flip the case of one letter of a checksummed address (unless that leaves it all lowercase, which is valid).
    const addressCase = fc
      .tuple(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.nat(39))
      .map(([bytes, i]) => {
        const good = getAddress(`0x${Buffer.from(bytes).toString('hex')}`)
        const c = good[2 + i]!
        const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()
        return good.slice(0, 2 + i) + flipped + good.slice(3 + i)
      })
      .filter((bad) => bad !== getAddress(bad) && bad !== bad.toLowerCase())
      .map((bad) => single('address', bad))
    fc.assert(
      fc.property(fc.oneof(intCase, bytesCase, addressCase), (typed) => {
        assert.throws(() => hashTypedData(typed as never))
        assert.throws(() => hashTypedDataInput(typed as never), signingFailed(/message\.f: /))
      }),
      { numRuns: 300 },
    )
  })
})

describe('stricter than viem on purpose', () => {
  // viem coerces these (BigInt(''), BigInt(' 12 '), toHex(5) for a string, no fixed-length check, …);
  // a signer should not guess what a malformed field meant.
  const refused: [string, unknown, RegExp][] = [
    ['fixed array of the wrong length', single('uint8[2]', [1]), /message\.f: expected uint8\[2\] with exactly 2 elements, got 1/],
    ['number for a string', single('string', 5), /message\.f: expected string, got 5/],
    ['array for a string', single('string', ['a']), /message\.f: expected string, got an array/],
    ['bytes that are not hex', single('bytes', 'hello'), /message\.f: expected bytes as 0x-hex/],
    ['bytes of odd length', single('bytes', '0xabc'), /message\.f: expected bytes as 0x-hex/],
    ['bytes32 of 63 hex digits', single('bytes32', `0x${'a'.repeat(63)}`), /message\.f: expected bytes32/],
    ['bytes32 that is not hex', single('bytes32', `0x${'g'.repeat(64)}`), /message\.f: expected bytes32/],
    ['unsafe integer number', single('uint256', 2 ** 60), /message\.f: expected uint256 as a safe integer/],
    ['empty string for a uint', single('uint256', ''), /message\.f: expected uint256/],
    ['padded decimal', single('uint256', ' 12 '), /message\.f: expected uint256/],
    ['binary literal', single('uint256', '0b10'), /message\.f: expected uint256/],
    ['boolean for a uint', single('uint256', true), /message\.f: expected uint256/],
    ['nesting deeper than 64', { domain: {}, types: { T: [{ name: 'c', type: 'T[]' }] }, primaryType: 'T', message: Array.from({ length: 70 }).reduce<unknown>((inner) => ({ c: [inner] }), { c: [] }) }, /nested deeper than 64 levels/],
  ]
  for (const [label, typed, pattern] of refused) {
    it(label, () => assert.throws(() => hashTypedDataInput(typed as never), signingFailed(pattern), show(typed)))
  }

  it('a message that refers to itself is refused, not a stack overflow', () => {
    const message: Record<string, unknown> = {}
    message.c = [message]
    assert.throws(() => hashTypedDataInput({ domain: {}, types: { T: [{ name: 'c', type: 'T[]' }] }, primaryType: 'T', message }), signingFailed(/nested deeper/))
  })
})

describe('arbitrary junk', () => {
  it('yields a 32-byte digest or COFFRE_SIGNING_FAILED, never another error', () => {
    const types = fc.dictionary(fc.constantFrom('T', 'S', 'EIP712Domain', 'uint8', '__proto__'), fc.oneof(fc.anything(), fc.array(fc.record({ name: fc.constantFrom('a', 'b', 'name'), type: fc.oneof(fc.constantFrom('uint8', 'S', 'T[]', 'string', 'bytes2', 'address', 'S[1]'), fc.string()) }))))
    const junk = fc.record({ domain: fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom('name', 'chainId', 'salt'), fc.anything())), types, primaryType: fc.oneof(fc.constantFrom('T', 'S', 'EIP712Domain'), fc.anything()), message: fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom('a', 'b'), fc.anything())) })
    fc.assert(
      fc.property(junk, (typed) => {
        try {
          assert.equal(hashTypedDataInput(typed as never).length, 32)
        } catch (error) {
          assert.ok(isCoffreError(error) && error.code === 'COFFRE_SIGNING_FAILED', String(error))
        }
      }),
      { numRuns: 400 },
    )
  })
})
