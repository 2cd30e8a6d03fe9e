import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { CoffreError } from '../../../src/errors.ts'
import { decodeShare, encodeShare, type DecodedShare } from '../../../src/ops/backup/shareCodec.ts'

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n })
const share: fc.Arbitrary<DecodedShare> = fc.record({
  setId: bytes(5),
  threshold: fc.integer({ min: 2, max: 255 }),
  index: fc.integer({ min: 1, max: 255 }),
  point: bytes(33),
  check: bytes(8),
})
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

describe('share text codec', () => {
  it('decodes what it encodes (property)', () => {
    fc.assert(fc.property(share, (fields) => assert.deepEqual(decodeShare(encodeShare(fields), 1), { ...fields })))
  })

  it('catches any single-character substitution and names the share (property)', () => {
    fc.assert(
      fc.property(share, fc.nat(), fc.integer({ min: 1, max: 31 }), fc.integer({ min: 1, max: 9 }), (fields, at, shift, position) => {
        const parts = encodeShare(fields).split('-')
        const k = 3 + (at % (parts.length - 3)) // any part after "coffre-share-v1"
        const part = parts[k] as string
        const j = shift % part.length
        const replacement = k === 4 || k === 5
          ? String((Number(part[j]) + (shift % 9) + 1) % 10) // threshold, index: another digit
          : (alphabet[(alphabet.indexOf(part[j] as string) + shift) % 32] as string)
        parts[k] = part.slice(0, j) + replacement + part.slice(j + 1)
        const typo = parts.join('-')
        assert.throws(
          () => decodeShare(typo, position),
          (error: unknown) => error instanceof CoffreError && error.code === 'COFFRE_BACKUP_INVALID' && error.message.startsWith(`Share ${position}`),
        )
      }),
      { numRuns: 500 },
    )
  })
})
