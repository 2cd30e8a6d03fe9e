import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { parseShares } from '../../../src/ops/backup/parseShares.ts'

describe('parseShares', () => {
  it('takes one share per line, skipping blank lines and # comments, trimming spaces and CRs', () => {
    const text = '# backup of vault prod, 2026-11-21\n\n  coffre-share-v1-AAAA-2-1-X-Y  \r\n# share 2 is with Bob\ncoffre-share-v1-AAAA-2-3-X-Y\r\n\n'
    assert.deepEqual(parseShares(text), ['coffre-share-v1-AAAA-2-1-X-Y', 'coffre-share-v1-AAAA-2-3-X-Y'])
    assert.deepEqual(parseShares(''), [])
    assert.throws(() => parseShares(undefined as unknown as string), TypeError)
  })

  it('gives back exactly the non-comment lines it was given (property)', () => {
    const line = fc.stringMatching(/^[a-z0-9-]{1,40}$/)
    fc.assert(
      fc.property(fc.array(line), fc.array(fc.constantFrom('', '   ', '# note')), (shares, noise) => {
        const lines = [...noise, ...shares.flatMap((share, i) => [share, noise[i % Math.max(noise.length, 1)] ?? ''])]
        assert.deepEqual(parseShares(lines.join(shares.length % 2 === 0 ? '\n' : '\r\n')), shares)
      }),
    )
  })
})
