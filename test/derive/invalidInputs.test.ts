/**
 * Every public function of src/derive, fed every wrong-typed and wrong-valued input in every position:
 * each must throw CoffreError COFFRE_INVALID_INPUT (synchronously, or as a rejection for the async
 * pair operations) — never crash, hang, or answer.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SECP256K1_ORDER } from '../../src/derive/curveOrder.ts'
import { deriveChildKeyPair } from '../../src/derive/deriveChildKeyPair.ts'
import { createDerivedKeyIndex } from '../../src/derive/derivedKeyIndex.ts'
import { findPublicKeyInIdentity } from '../../src/derive/findPublicKeyInIdentity.ts'
import { getDerivedPublicKeys } from '../../src/derive/getDerivedPublicKeys.ts'
import { MAX_DERIVED_KEYS } from '../../src/derive/integerGuards.ts'
import { getPairPublicKeys } from '../../src/derive/getPairPublicKeys.ts'
import { pairContainsPublicKey } from '../../src/derive/pairContainsPublicKey.ts'
import { addPairPublicKey, createPairOperations, removePairPublicKey } from '../../src/derive/pairOperations.ts'
import { withoutPairPublicKey, withPairPublicKey } from '../../src/derive/pairPublicKeyEdits.ts'
import { publicKeyBelongsToIdentity } from '../../src/derive/publicKeyBelongsToIdentity.ts'

const PRIV = '5c'.repeat(32)
const PUB = getDerivedPublicKeys(PRIV, 0)[0] as string
const PAIR = { uuid: '3b241101-e2bb-4255-8caf-4136c566a962', publicKey: PUB }

const wrongTypes: unknown[] = [undefined, null, 0, 1, 1n, true, {}, [], () => PRIV, Symbol('k'), new Uint8Array(32)]
const hex = (value: bigint): string => value.toString(16).padStart(64, '0')
const badPrivateKeys: unknown[] = [
  ...wrongTypes.filter((value) => value !== undefined),
  '',
  '5c'.repeat(31),
  `${'5c'.repeat(32)}5`,
  `${'5c'.repeat(32)}\n`,
  ` ${'5c'.repeat(32)}`,
  `zz${'5c'.repeat(31)}`,
  `0x${'5c'.repeat(31)}`,
  `0x0x${'5c'.repeat(31)}`,
  hex(0n),
  hex(SECP256K1_ORDER),
  hex(SECP256K1_ORDER + 1n),
  'ff'.repeat(32),
]
const badPublicKeys: unknown[] = [
  ...wrongTypes.filter((value) => value !== undefined),
  '',
  PUB.slice(0, 64),
  `${PUB}00`,
  `04${PUB.slice(2)}`,
  `00${PUB.slice(2)}`,
  `${PUB.slice(0, 64)}zz`,
  `02${hex(5n)}`, // x = 5: x³ + 7 is not a square mod p, so no point has this x
  `03${hex(7n)}`,
  `02${'ff'.repeat(32)}`, // x ≥ p
  `04${'11'.repeat(64)}`, // uncompressed form is not accepted
]
const badIndices: unknown[] = [...wrongTypes.filter((value) => typeof value !== 'number'), -1, 0.5, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, '1', -0.1]
const badCounts: unknown[] = [null, true, '3', 1n, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_DERIVED_KEYS + 1]
const badPairs: unknown[] = [
  null, 1, 'pair', [], { uuid: '' }, { uuid: 7 }, { label: 'x' }, { uuid: 'u', label: 3 }, { uuid: 'u', publicKey: 3 },
  { uuid: 'u', publicKeys: PUB }, { uuid: 'u', publicKeys: [PUB, 3] },
]

const rejects = (name: string, call: () => unknown): void => {
  assert.throws(call, (error: unknown) => (error as { code?: string }).code === 'COFFRE_INVALID_INPUT', name)
}
const rejectsAsync = async (name: string, call: () => Promise<unknown>): Promise<void> => {
  await assert.rejects(call, (error: unknown) => (error as { code?: string }).code === 'COFFRE_INVALID_INPUT', name)
}
const any = <T>(value: unknown): T => value as T

describe('invalid inputs → COFFRE_INVALID_INPUT, before any work', () => {
  it('deriveChildKeyPair', () => {
    for (const bad of badPrivateKeys) rejects(`parent ${String(bad)}`, () => deriveChildKeyPair(any(bad), 0))
    rejects('missing parent', () => deriveChildKeyPair(any(undefined), 0))
    for (const bad of badIndices) rejects(`index ${String(bad)}`, () => deriveChildKeyPair(PRIV, any(bad)))
  })

  it('getDerivedPublicKeys', () => {
    for (const bad of [...badPrivateKeys, undefined]) rejects('parent', () => getDerivedPublicKeys(any(bad), 1))
    for (const bad of [...badCounts, undefined]) rejects(`count ${String(bad)}`, () => getDerivedPublicKeys(PRIV, any(bad)))
  })

  it('publicKeyBelongsToIdentity and findPublicKeyInIdentity, with and without an index', () => {
    const index = createDerivedKeyIndex({ maxKeys: 100 })
    for (const check of [publicKeyBelongsToIdentity, findPublicKeyInIdentity]) {
      for (const idx of [undefined, index]) {
        for (const bad of [...badPrivateKeys, undefined]) rejects('private key', () => check(any(bad), PUB, 3, idx))
        for (const bad of [...badPublicKeys, undefined]) rejects(`public key ${String(bad)}`, () => check(PRIV, any(bad), 3, idx))
        for (const bad of badCounts) rejects(`maxDerived ${String(bad)}`, () => check(PRIV, PUB, any(bad), idx))
      }
      for (const bad of [null, 1, 'index', {}]) rejects('index', () => check(PRIV, PUB, 3, any(bad)))
    }
    assert.equal(index.stats().keys, 0, 'no key was derived for a rejected call')
  })

  it('the index methods', () => {
    const index = createDerivedKeyIndex()
    for (const bad of [...badPrivateKeys, undefined]) rejects('prepare key', () => index.prepare(any(bad), 3))
    for (const bad of [...badCounts, undefined]) rejects('prepare count', () => index.prepare(PRIV, any(bad)))
    for (const bad of [...badPublicKeys, undefined]) {
      rejects('main', () => index.findByMainPublicKey(any(bad), PUB, 3))
      rejects('key', () => index.findByMainPublicKey(PUB, any(bad), 3))
    }
    for (const bad of badCounts) rejects('maxDerived', () => index.findByMainPublicKey(PUB, PUB, any(bad)))
  })

  it('getPairPublicKeys and pairContainsPublicKey', () => {
    for (const bad of [...badPairs, undefined]) {
      rejects('pair', () => getPairPublicKeys(any(bad)))
      rejects('pair', () => pairContainsPublicKey(any(bad), PUB))
    }
    for (const bad of badPrivateKeys) {
      rejects('private key', () => getPairPublicKeys(PAIR, any(bad), 2))
      rejects('private key', () => pairContainsPublicKey(PAIR, PUB, any(bad), 2))
    }
    for (const bad of badCounts) {
      rejects('derivedCount', () => getPairPublicKeys(PAIR, PRIV, any(bad)))
      rejects('derivedCount (remote)', () => getPairPublicKeys(PAIR, undefined, any(bad)))
      rejects('maxDerived', () => pairContainsPublicKey(PAIR, PUB, PRIV, any(bad)))
    }
    for (const bad of [...badPublicKeys, undefined]) {
      rejects('query', () => pairContainsPublicKey(PAIR, any(bad)))
      rejects('query', () => pairContainsPublicKey(PAIR, any(bad), PRIV, 2))
    }
    for (const bad of badPublicKeys.filter((value) => typeof value === 'string')) {
      rejects('stored publicKey', () => getPairPublicKeys({ uuid: 'u', publicKey: any(bad) }))
      rejects('stored publicKeys', () => getPairPublicKeys({ uuid: 'u', publicKeys: [PUB, any(bad)] }))
    }
  })

  it('withPairPublicKey and withoutPairPublicKey', () => {
    for (const edit of [withPairPublicKey, withoutPairPublicKey]) {
      for (const bad of [...badPairs, undefined]) rejects('pair', () => edit(any(bad), PUB))
      for (const bad of [...badPublicKeys, undefined]) rejects('key', () => edit(PAIR, any(bad)))
      rejects('stored key off the curve', () => edit({ uuid: 'u', publicKeys: [`02${hex(5n)}`] }, PUB))
    }
  })

  it('addPairPublicKey, removePairPublicKey and createPairOperations', async () => {
    let reads = 0
    const repository = { get: () => (reads++, PAIR), save: () => undefined }
    for (const operation of [addPairPublicKey, removePairPublicKey]) {
      for (const bad of ['', null, 1, {}, undefined]) await rejectsAsync('uuid', () => operation(any(bad), PUB, repository))
      for (const bad of [...badPublicKeys, undefined]) await rejectsAsync('key', () => operation(PAIR.uuid, any(bad), repository))
      for (const bad of [undefined, null, {}, { get: () => PAIR }, { save: () => undefined }]) {
        await rejectsAsync('repository', () => operation(PAIR.uuid, PUB, any(bad)))
      }
    }
    assert.equal(reads, 0, 'the repository is not read for a rejected call')
    for (const bad of [undefined, null, {}, { get: 1, save: 2 }]) rejects('repository', () => createPairOperations(any(bad)))
    await rejectsAsync('stored pair malformed', () => addPairPublicKey('u', PUB, { get: () => any({ uuid: 'u', publicKeys: 'x' }), save: () => undefined }))
  })
})
