import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { hashTypedData } from 'viem'
import { clobAuthTypedData } from '../../../src/polymarket/clobAuth.ts'
import { hashOrderV2, orderV2TypedData, type OrderV2 } from '../../../src/polymarket/orderV2.ts'
import { hashTypedDataInput, signTypedData } from '../../../src/chain/evm/signTypedData.ts'
import { TypedDataError } from '../../../src/chain/evm/typedDataError.ts'
import { hashTypedDataFields, typedDataDigest } from '../../../src/chain/evm/typedDataHash.ts'
import { compileTypedDataSchema } from '../../../src/chain/evm/typedDataSchema.ts'
import { eip712MailExample } from '../../vectors/eip712Mail.ts'

const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString('hex')}`
const jsonish = (value: unknown) => JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v)))

const mail = eip712MailExample

describe('EIP-712 known answers', () => {
  it('the spec Mail example: encodeType, typeHash and digest', () => {
    const schema = compileTypedDataSchema(mail.types, mail.domain)
    // typeHash = keccak256("Mail(Person from,Person to,string contents)Person(string name,address wallet)"), per the spec
    assert.equal(hex(schema.structs.get('Mail')!.typeHash), '0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2')
    assert.equal(hex(hashTypedDataInput(mail)), '0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2')
    assert.equal(hex(hashTypedDataInput(jsonish(mail))), hashTypedData(mail))
  })

  const vectors = JSON.parse(readFileSync(new URL('../../vectors/polymarket/official-vectors.json', import.meta.url), 'utf8'))
  it('Polymarket ClobAuth: the official clients\' L1 signature', () => {
    const key = Buffer.from(vectors.privateKey.slice(2), 'hex')
    for (const v of vectors.l1) {
      const typed = clobAuthTypedData({ address: vectors.address, chainId: v.chainId, timestamp: String(v.timestamp), nonce: BigInt(v.nonce) })
      assert.equal(hex(hashTypedDataInput(typed)), hashTypedData(typed))
      assert.equal(signTypedData(key, jsonish(typed)), v.signature)
    }
  })

  it('Polymarket Order V2: the official order hash, through the generic hasher and hashOrderV2', () => {
    for (const v of vectors.orderHash) {
      assert.equal(hex(hashTypedDataInput(orderV2TypedData(v.order as OrderV2, v.chainId, v.exchange))), v.hash)
      assert.equal(hex(hashTypedDataInput(jsonish(orderV2TypedData(v.order as OrderV2, v.chainId, v.exchange)))), v.hash)
      assert.equal(hashOrderV2(v.order as OrderV2, v.chainId, v.exchange), v.hash)
    }
  })

  it('recursive types (ended by an empty array) hash as viem does', () => {
    const tree = { domain: { name: 'tree' }, types: { Node: [{ name: 'value', type: 'uint8' }, { name: 'children', type: 'Node[]' }] }, primaryType: 'Node', message: { value: 1, children: [{ value: 2, children: [] }, { value: 3, children: [{ value: 4, children: [] }] }] } }
    assert.equal(hex(hashTypedDataInput(tree)), hashTypedData(tree as never))
  })

  it('primaryType EIP712Domain hashes the domain alone; an empty domain is EIP712Domain()', () => {
    const onlyDomain = { domain: mail.domain, types: mail.types, primaryType: 'EIP712Domain' }
    assert.equal(hex(hashTypedDataInput(onlyDomain)), hashTypedData(onlyDomain as never))
    const noDomain = { types: mail.types, primaryType: 'Mail', message: mail.message }
    assert.equal(hex(hashTypedDataInput(noDomain)), hashTypedData(noDomain as never))
  })
})

describe('schema and domain caches', () => {
  it('key by content: a types object changed after use is recompiled, key order does not matter', () => {
    const types = { T: [{ name: 'a', type: 'uint8' }] }
    const typed = { domain: { chainId: 1 }, types, primaryType: 'T', message: { a: 200 } }
    assert.equal(hex(hashTypedDataFields(typed)), hashTypedData(typed as never))
    types.T[0]!.type = 'uint16'
    assert.equal(hex(hashTypedDataFields(typed)), hashTypedData(typed as never))
    const reordered = { types: { Mail: mail.types.Mail, Person: mail.types.Person }, domain: mail.domain, primaryType: 'Mail', message: mail.message }
    assert.equal(hex(hashTypedDataFields(reordered)), hashTypedData(mail))
  })

  it('field names that would collide if joined naively stay distinct schemas', () => {
    const one = { domain: {}, types: { T: [{ name: 'a,uint8 b', type: 'uint8' }] }, primaryType: 'T', message: { 'a,uint8 b': 1 } }
    const two = { domain: {}, types: { T: [{ name: 'a', type: 'uint8' }, { name: 'b', type: 'uint8' }] }, primaryType: 'T', message: { a: 1, b: 1, 'a,uint8 b': 1 } }
    for (const typed of [one, two, one]) assert.equal(hex(hashTypedDataFields(typed)), hashTypedData(typed as never))
  })

  it('the same types with other domain fields, or another domain value, gives another separator', () => {
    for (const domain of [{ name: 'a', version: null, chainId: undefined }, { name: 'a' }, { name: 'a', chainId: 1 }, { name: 'a', chainId: '1' }, { name: 'a', chainId: 2n }, { name: 'b', chainId: 2n, salt: `0x${'01'.repeat(32)}` }, { name: 'a' }]) {
      const typed = { domain, types: mail.types, primaryType: 'Mail', message: mail.message }
      assert.equal(hex(hashTypedDataFields(typed)), hashTypedData(typed as never), JSON.stringify(domain, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)))
    }
  })

  it('a compiled schema refuses a domain with other fields than it was compiled for', () => {
    const schema = compileTypedDataSchema(mail.types, { name: 'x' })
    assert.equal(hex(typedDataDigest(schema, { name: 'x' }, 'Mail', mail.message)), hashTypedData({ ...mail, domain: { name: 'x' } }))
    assert.throws(() => typedDataDigest(schema, { name: 'x', chainId: 1 }, 'Mail', mail.message), (e) => e instanceof TypedDataError && /different fields/.test(e.message))
  })

  it('large schemas: hashed (not cached) past the cache key limit, refused past the size limits', () => {
    const wide = { domain: {}, types: { T: Array.from({ length: 600 }, (_, i) => ({ name: `field_${i}_${'x'.repeat(20)}`, type: 'uint8' })) }, primaryType: 'T', message: {} as Record<string, number> }
    for (const { name } of wide.types.T) wide.message[name] = 1
    assert.equal(hex(hashTypedDataFields(wide)), hashTypedData(wide as never))
    assert.equal(hex(hashTypedDataFields(wide)), hashTypedData(wide as never))
    const many = Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`S${i}`, []]))
    assert.throws(() => hashTypedDataFields({ domain: {}, types: many, primaryType: 'S0', message: {} }), (e) => e instanceof TypedDataError && /more than 128/.test(e.message))
    const long = { T: Array.from({ length: 1025 }, (_, i) => ({ name: `f${i}`, type: 'bool' })) }
    assert.throws(() => hashTypedDataFields({ domain: {}, types: long, primaryType: 'T', message: {} }), (e) => e instanceof TypedDataError && /more than 1024 fields/.test(e.message))
  })
})
