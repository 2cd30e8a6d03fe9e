import assert from 'node:assert/strict'
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { combine } from 'shamir-secret-sharing'
import { refusal } from '../../support/refusal.ts'
import { combineUserShares } from '../../../src/recovery/shares/combineUserShares.ts'
import { splitUserEntropy } from '../../../src/recovery/shares/splitUserEntropy.ts'
import { decodeUserShare, encodeUserShare, shareLength, userShareFromText, userShareToText } from '../../../src/recovery/shares/userShareCodec.ts'

const bytes = (n: number) => new Uint8Array(randomBytes(n))
const context = 'vault-1:0193a0b0-0000-7000-8000-000000000001'
const entropyArb = fc.constantFrom(16, 20, 24, 28, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }))
const splitArb = fc.integer({ min: 2, max: 6 }).chain((n) => fc.tuple(fc.integer({ min: 2, max: n }), fc.constant(n)))


describe('user-backup shares', () => {
  test('any threshold of the shares, in any order, gives the entropy back (property)', async () => {
    await fc.assert(
      fc.asyncProperty(entropyArb, splitArb, fc.infiniteStream(fc.nat()), async (entropy, [threshold, shares], picks) => {
        const split = await splitUserEntropy(entropy, { threshold, shares, context })
        const order = [...split.shares.keys()].sort(() => (picks.next().value % 3) - 1)
        const count = threshold + (picks.next().value % (shares - threshold + 1))
        const chosen = order.slice(0, count).map((i) => split.shares[i] as Uint8Array)
        const restored = await combineUserShares(chosen, { context, backupId: split.backupId })
        assert.deepEqual(restored.entropy, entropy)
        assert.equal(restored.backupId, split.backupId)
        assert.equal(restored.threshold, threshold)
      }),
      { numRuns: 60 },
    )
  })

  test('fewer than the threshold is COFFRE_SHARES_TOO_FEW (property)', async () => {
    await fc.assert(
      fc.asyncProperty(entropyArb, splitArb.filter(([t]) => t >= 2), fc.nat(), async (entropy, [threshold, shares], pick) => {
        const split = await splitUserEntropy(entropy, { threshold, shares, context })
        const count = 1 + (pick % (threshold - 1))
        const refused = await refusal(combineUserShares(split.shares.slice(0, count), { context }))
        assert.equal(refused.code, 'COFFRE_SHARES_TOO_FEW')
        assert.equal(refused.details.given, count)
      }),
      { numRuns: 40 },
    )
    assert.equal((await refusal(combineUserShares([], { context }))).code, 'COFFRE_SHARES_TOO_FEW')
  })

  test('any damaged byte is COFFRE_SHARE_CORRUPTED, naming the share; a damaged prefix or version is COFFRE_SHARE_MALFORMED (property)', async () => {
    const split = await splitUserEntropy(bytes(16), { context })
    const size = split.shares[0]!.length
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 1, max: 255 }), async (which, offset, xor) => {
        const shares = split.shares.map((s) => s.slice())
        shares[which]![offset]! ^= xor
        const refused = await refusal(combineUserShares(shares, { context }))
        assert.equal(refused.code, offset < 5 ? 'COFFRE_SHARE_MALFORMED' : 'COFFRE_SHARE_CORRUPTED')
        assert.equal(refused.details.share, which + 1)
      }),
      { numRuns: 150 },
    )
    const truncated = split.shares[1]!.subarray(0, size - 1)
    assert.equal((await refusal(combineUserShares([split.shares[0]!, truncated], { context }))).code, 'COFFRE_SHARE_MALFORMED')
  })

  test('shares of two backups are COFFRE_SHARES_MIXED, even of the same entropy', async () => {
    const entropy = bytes(16)
    const a = await splitUserEntropy(entropy, { context })
    const b = await splitUserEntropy(entropy, { context })
    const refused = await refusal(combineUserShares([a.shares[0]!, b.shares[1]!], { context }))
    assert.equal(refused.code, 'COFFRE_SHARES_MIXED')
    assert.deepEqual(refused.details.backups, [a.backupId, b.backupId])
  })

  test('the same share twice is COFFRE_SHARE_DUPLICATED, not two shares', async () => {
    const split = await splitUserEntropy(bytes(32), { context, threshold: 2, shares: 3 })
    const refused = await refusal(combineUserShares([split.shares[2]!, userShareToText(split.shares[2]!)], { context }))
    assert.equal(refused.code, 'COFFRE_SHARE_DUPLICATED')
    assert.equal(refused.details.problem, 'same-share')
    assert.equal(refused.details.duplicateOf, 1)
  })

  test('shares of another user or vault, or a forged share, are COFFRE_SHARES_WRONG; the odd one is named when it can be', async () => {
    const entropy = bytes(16)
    const split = await splitUserEntropy(entropy, { context, threshold: 2, shares: 3 })
    assert.equal((await refusal(combineUserShares(split.shares.slice(0, 2), { context: 'vault-1:another-user' }))).code, 'COFFRE_SHARES_WRONG')
    const other = await refusal(combineUserShares(split.shares.slice(0, 2), { context, backupId: '0193a0b0-0000-7000-8000-00000000ffff' }))
    assert.deepEqual([other.code, other.details.problem], ['COFFRE_SHARES_WRONG', 'other-backup'])

    // A forger who knows the format rewrites share 2's data and recomputes its checksum.
    const forged = decodeUserShare(split.shares[1]!)
    const y = forged.y.slice()
    y[0]! ^= 1
    const forgedBytes = encodeUserShare({ ...forged, y })
    const exact = await refusal(combineUserShares([split.shares[0]!, forgedBytes], { context }))
    assert.deepEqual([exact.code, exact.details.problem], ['COFFRE_SHARES_WRONG', 'digest'])
    const named = await refusal(combineUserShares([split.shares[0]!, forgedBytes, split.shares[2]!], { context }))
    assert.equal(named.code, 'COFFRE_SHARES_WRONG')
    assert.deepEqual(named.details.shares, [2])
  })

  test('a share split for guardians is refused where a backup share is expected', async () => {
    const split = await splitUserEntropy(bytes(16), { context, purpose: 'guardians', threshold: 2, shares: 4 })
    const refused = await refusal(combineUserShares(split.shares.slice(1, 3), { context, purpose: 'backup' }))
    assert.deepEqual([refused.code, refused.details.problem], ['COFFRE_SHARES_WRONG', 'purpose'])
    assert.equal((await combineUserShares(split.shares.slice(1, 3), { context, purpose: 'guardians' })).indexes.join(), '2,3')
  })

  test('the layout is the documented one: shamir-secret-sharing points of entropy ‖ HMAC digest (independent recomputation)', async () => {
    const entropy = bytes(24)
    const backupId = '0193a0b0-1234-7abc-8def-0123456789ab'
    const split = await splitUserEntropy(entropy, { context, threshold: 3, shares: 5, backupId })
    const share = split.shares[4]!
    assert.equal(share.length, shareLength(24))
    assert.equal(Buffer.from(share.subarray(0, 4)).toString(), 'CFUS')
    assert.deepEqual([...share.subarray(4, 6), ...share.subarray(22, 26)], [1, 1, 3, 5, 5, 24])
    assert.equal(Buffer.from(share.subarray(6, 22)).toString('hex'), backupId.replace(/-/g, ''))
    const checksum = createHash('sha256').update('coffre-user-share-v1').update(share.subarray(0, share.length - 8)).digest().subarray(0, 8)
    assert.deepEqual(Buffer.from(share.subarray(share.length - 8)), checksum)
    // The raw points (y ‖ x) are the library's own shares: its combine gives entropy ‖ digest.
    const points = split.shares.slice(1, 4).map((s) => s.slice(26, 26 + 24 + 16 + 1))
    const payload = await combine(points)
    assert.deepEqual(payload.subarray(0, 24), entropy)
    const length = Buffer.alloc(2)
    length.writeUInt16BE(Buffer.byteLength(context))
    const digest = createHmac('sha256', entropy).update('coffre-user-share-digest-v1').update(Uint8Array.of(1))
      .update(Buffer.from(backupId.replace(/-/g, ''), 'hex')).update(Uint8Array.of(3, 5, 24)).update(length).update(context).digest().subarray(0, 16)
    assert.deepEqual(Buffer.from(payload.subarray(24)), digest)
    // No share carries the digest in the clear.
    for (const s of split.shares) assert.equal(Buffer.from(s).indexOf(digest), -1)
  })

  test('text form round-trips; bad arguments are refused before any work', async () => {
    const split = await splitUserEntropy(bytes(20), { context })
    const text = userShareToText(split.shares[0]!)
    assert.match(text, /^cfus1\.[A-Za-z0-9_-]+$/)
    assert.deepEqual(userShareFromText(`  ${text}\n`), split.shares[0])
    assert.equal((await refusal(combineUserShares(['cfus2.AAAA', text], { context }))).code, 'COFFRE_SHARE_MALFORMED')
    for (const [entropy, options] of [
      [bytes(17), { context }],
      [bytes(16), { context, threshold: 1 }],
      [bytes(16), { context, threshold: 4, shares: 3 }],
      [bytes(16), { context, shares: 17 }],
      [bytes(16), { context: '' }],
      [bytes(16), { context, backupId: 'not-a-uuid' }],
    ] as const) {
      assert.equal((await refusal(splitUserEntropy(entropy, options as never))).code, 'COFFRE_INVALID_INPUT')
    }
    await assert.rejects(splitUserEntropy('entropy' as never, { context }), TypeError)
  })
})
