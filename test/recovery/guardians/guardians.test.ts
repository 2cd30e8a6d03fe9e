import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { recoverMessageAddress } from 'viem'
import { privateKeyToAccount, publicKeyToAddress } from 'viem/accounts'
import { deriveChildKeyPair } from '../../../src/derive/deriveChildKeyPair.ts'
import type { PairConfig } from '../../../src/derive/pairConfig.ts'
import { withPairPublicKey } from '../../../src/derive/pairPublicKeyEdits.ts'
import { refusalCode as codeOf } from '../../support/refusal.ts'
import { secp256k1 } from '../../../src/crypto/secp256k1.ts'
import { createGuardianSet, defaultGuardianThreshold, guardianSetFromPair } from '../../../src/recovery/guardians/guardianSet.ts'
import { formatRecoveryRequest, newRecoveryRequest, parseRecoveryRequest, type RecoveryRequest } from '../../../src/recovery/guardians/recoveryRequest.ts'
import { assertRecoveryApproved, verifyGuardianApprovals } from '../../../src/recovery/guardians/verifyGuardianApprovals.ts'

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n


// Three guardians whose private keys only this test holds (seed-004 derived keys of a test identity).
const identity = randomBytes(32).toString('hex')
const keys = [0, 1, 2, 3].map((i) => deriveChildKeyPair(identity, i))
const accounts = keys.map((k) => privateKeyToAccount(`0x${k.privateKey}`))
const pair: PairConfig = [keys[1]!, keys[2]!].reduce<PairConfig>((p, k) => withPairPublicKey(p, k.publicKey), { uuid: '0193a0b0-0000-7000-8000-0000000000aa', publicKey: keys[0]!.publicKey })
const set = guardianSetFromPair(pair, { version: 1 })
const now = 1_800_000_000
const request = newRecoveryRequest({ vaultId: 'vault-1', guardianSetId: set.id, userId: '0193a0b0-0000-7000-8000-000000000001', newTelegramUserId: 777000111, now, ttlSeconds: 86_400 })
const text = formatRecoveryRequest(request)

describe('guardian sets', () => {
  test('threshold 1 ≤ t < n, so n ≥ 2; the default is a majority rounded up, below n', async () => {
    assert.deepEqual([2, 3, 4, 5, 6, 16].map(defaultGuardianThreshold), [1, 2, 2, 3, 3, 8])
    assert.equal(set.threshold, 2)
    assert.equal(set.id, `${pair.uuid}#1`)
    assert.deepEqual(set.guardians.map((g) => g.id), keys.slice(0, 3).map((k) => k.publicKey))
    const one = [{ id: 'a', publicKeys: [keys[0]!.publicKey] }]
    assert.equal(await codeOf(() => createGuardianSet({ id: 's', guardians: one })), 'COFFRE_INVALID_INPUT')
    assert.equal(await codeOf(() => guardianSetFromPair(pair, { version: 1, threshold: 3 })), 'COFFRE_INVALID_INPUT', 'the seed\'s t = n is refused')
    assert.equal(await codeOf(() => guardianSetFromPair(pair, { version: 1, threshold: 0 })), 'COFFRE_INVALID_INPUT')
    const shared = [{ id: 'a', publicKeys: [keys[0]!.publicKey] }, { id: 'b', publicKeys: [keys[0]!.publicKey.toUpperCase()] }]
    assert.equal(await codeOf(() => createGuardianSet({ id: 's', guardians: shared })), 'COFFRE_INVALID_INPUT', 'one key cannot be two guardians')
  })
})

describe('recovery request text', () => {
  test('is the documented canonical text', () => {
    assert.equal(text, [
      'Coffre account recovery v1',
      "Approving moves this user's wallets to the new Telegram account below.",
      'Vault: vault-1',
      `Guardian set: ${set.id}`,
      'User: 0193a0b0-0000-7000-8000-000000000001',
      'New Telegram ID: 777000111',
      'Expires: 2027-01-16T08:00:00Z',
      `Nonce: ${request.nonce}`,
    ].join('\n'))
  })

  test('parse(format(r)) = r, and any other spelling of the same request is refused (property)', async () => {
    const id = fc.stringMatching(/^[A-Za-z0-9._:#-]{1,40}$/)
    const requestArb = fc.record({
      vaultId: id, guardianSetId: id, userId: id,
      newTelegramUserId: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      expiresAt: fc.integer({ min: 0, max: 4_000_000_000 }),
      nonce: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')),
    })
    fc.assert(fc.property(requestArb, (r: RecoveryRequest) => assert.deepEqual(parseRecoveryRequest(formatRecoveryRequest(r)), { ...r })), { numRuns: 300 })
    const variants = [
      text.replace(/\n/g, '\r\n'), `${text}\n`, ` ${text}`, text.replace('New Telegram ID: ', 'New Telegram ID: 0'),
      text.replace(request.nonce, request.nonce.toUpperCase()), text.replace('08:00:00Z', '08:00:00.000Z'), text.replace('Vault: ', 'Vault:  '),
      text.replace('Coffre account recovery v1', 'Coffre account recovery v2'), text.split('\n').slice(0, 7).join('\n'),
    ]
    for (const variant of variants) assert.equal(await codeOf(() => parseRecoveryRequest(variant)), 'COFFRE_RECOVERY_REQUEST_INVALID', JSON.stringify(variant.slice(0, 60)))
  })
})

describe('guardian approvals (EIP-191)', () => {
  test('signatures made with viem identify the guardians, compared by public key; viem recovers the same signers', async () => {
    const signatures = await Promise.all([accounts[2]!, accounts[0]!].map((a) => a.signMessage({ message: text })))
    const approvals = verifyGuardianApprovals(text, signatures, set, { vaultId: 'vault-1', now })
    assert.deepEqual(approvals.approvedBy, [keys[2]!.publicKey, keys[0]!.publicKey])
    assert.equal(approvals.thresholdMet, true)
    for (const [i, signature] of signatures.entries()) {
      const key = keys[i === 0 ? 2 : 0]!
      assert.equal(await recoverMessageAddress({ message: text, signature }), publicKeyToAddress(`0x${Buffer.from(secp256k1.publicKeyConvert(Buffer.from(key.publicKey, 'hex'), false)).toString('hex')}`))
    }
    assert.deepEqual(assertRecoveryApproved(text, signatures, set, { vaultId: 'vault-1', now: request.expiresAt - 1 }).approvedBy.length, 2)
  })

  test('one guardian counts once, with the same signature twice or with two of its keys', async () => {
    const twoKeys = createGuardianSet({ id: set.id, threshold: 2, guardians: [
      { id: 'alice', publicKeys: [keys[0]!.publicKey, keys[3]!.publicKey] }, { id: 'bob', publicKeys: [keys[1]!.publicKey] }, { id: 'carol', publicKeys: [keys[2]!.publicKey] },
    ] })
    const [a0, a3] = await Promise.all([accounts[0]!.signMessage({ message: text }), accounts[3]!.signMessage({ message: text })])
    const approvals = verifyGuardianApprovals(text, [a0, a0, a3], twoKeys, { vaultId: 'vault-1', now })
    assert.deepEqual([approvals.approvedBy, approvals.thresholdMet], [['alice'], false])
    assert.equal(await codeOf(() => assertRecoveryApproved(text, [a0, a3], twoKeys, { vaultId: 'vault-1', now })), 'COFFRE_RECOVERY_THRESHOLD_NOT_MET')
  })

  test('expired, another vault, a rotated guardian set, a stranger or a malleated signature: each refused by name', async () => {
    const [g0, stranger] = await Promise.all([accounts[0]!.signMessage({ message: text }), accounts[3]!.signMessage({ message: text })])
    assert.equal(await codeOf(() => verifyGuardianApprovals(text, [g0], set, { vaultId: 'vault-1', now: request.expiresAt })), 'COFFRE_RECOVERY_EXPIRED')
    assert.equal(await codeOf(() => verifyGuardianApprovals(text, [g0], set, { vaultId: 'vault-2', now })), 'COFFRE_RECOVERY_REQUEST_INVALID')
    assert.equal(await codeOf(() => verifyGuardianApprovals(text, [g0], guardianSetFromPair(pair, { version: 2 }), { vaultId: 'vault-1', now })), 'COFFRE_RECOVERY_REQUEST_INVALID')
    assert.equal(await codeOf(() => verifyGuardianApprovals(text, [g0, stranger], set, { vaultId: 'vault-1', now })), 'COFFRE_RECOVERY_SIGNATURE_INVALID')
    // The same signature with s → n − s (and v flipped) still recovers the key under plain ECDSA; it is refused.
    const s = BigInt(`0x${g0.slice(66, 130)}`)
    const v = Number.parseInt(g0.slice(130), 16)
    const malleated = `0x${g0.slice(2, 66)}${(N - s).toString(16).padStart(64, '0')}${(v === 27 ? 28 : 27).toString(16)}`
    assert.equal(await codeOf(() => verifyGuardianApprovals(text, [malleated], set, { vaultId: 'vault-1', now })), 'COFFRE_RECOVERY_SIGNATURE_INVALID')
    const otherText = formatRecoveryRequest({ ...request, newTelegramUserId: 666 })
    assert.equal(await codeOf(() => verifyGuardianApprovals(otherText, [g0], set, { vaultId: 'vault-1', now })), 'COFFRE_RECOVERY_SIGNATURE_INVALID', 'a signature over another request is no guardian\'s')
    assert.equal(await codeOf(() => verifyGuardianApprovals(text, ['0x1234'], set, { vaultId: 'vault-1', now })), 'COFFRE_RECOVERY_SIGNATURE_INVALID')
  })
})
