import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { before, describe, it } from 'node:test'
import { CoffreError } from '../../../src/errors.ts'
import { combineRootKeyShares } from '../../../src/ops/backup/combineRootKeyShares.ts'
import { decodeShare, encodeShare } from '../../../src/ops/backup/shareCodec.ts'
import { splitRootKey } from '../../../src/ops/backup/splitRootKey.ts'

/** Expects COFFRE_BACKUP_INVALID with a message matching `pattern` and free of secret bytes. */
const refused = (pattern: RegExp, secret?: Uint8Array) => (error: unknown) => {
  assert.ok(error instanceof CoffreError, String(error))
  assert.equal(error.code, 'COFFRE_BACKUP_INVALID')
  assert.match(error.message, pattern)
  if (secret !== undefined) {
    const text = JSON.stringify([error.message, error.details])
    assert.equal(text.includes(Buffer.from(secret).toString('hex')), false)
    assert.equal(text.includes(Buffer.from(secret).toString('base64')), false)
  }
  return true
}

/** Re-encodes a share after `edit`, with a freshly computed checksum: a forgery, not a typo. */
const forge = (share: string, edit: (point: Uint8Array) => void): string => {
  const decoded = decodeShare(share, 1)
  const point = decoded.point.slice()
  edit(point)
  return encodeShare({ ...decoded, point })
}

describe('combineRootKeyShares refuses shares that would not give back the root key', () => {
  const secret = new Uint8Array(randomBytes(32))
  let shares: string[]
  let other: string[]
  before(async () => {
    shares = await splitRootKey(secret, { shares: 5, threshold: 3 })
    other = await splitRootKey(secret, { shares: 5, threshold: 3 })
  })

  it('too few shares', async () => {
    await assert.rejects(combineRootKeyShares(shares.slice(0, 2)), refused(/needs 3 shares; 2 given/, secret))
    await assert.rejects(combineRootKeyShares(shares.slice(0, 1)), refused(/needs 3 shares; 1 given/))
  })

  it('a duplicated share, even in a different case or spacing', async () => {
    const [a, b] = shares as [string, string]
    await assert.rejects(combineRootKeyShares([a, b, a]), refused(/Share 3 duplicates share 1/))
    await assert.rejects(combineRootKeyShares([a, b, ` ${a.toLowerCase()} `]), refused(/Share 3 duplicates share 1/))
  })

  it('shares from two different sets, even of the same secret', async () => {
    const mixed = [shares[0], shares[1], other[2]] as string[]
    await assert.rejects(combineRootKeyShares(mixed), refused(/different backups: set \w{8} \(shares 1, 2\), set \w{8} \(share 3\)/, secret))
  })

  it('a flipped character in one share, named by its position', async () => {
    const typo = (share: string, at: number) => {
      const char = share[at] === 'A' ? 'B' : 'A'
      return share.slice(0, at) + char + share.slice(at + 1)
    }
    const target = shares[1] as string
    for (const at of [30, 40, target.length - 12, target.length - 1]) {
      const input = [shares[0], typo(target, at), shares[2]] as string[]
      await assert.rejects(combineRootKeyShares(input), refused(/Share 2 .*(checksum|length|character)/, secret))
    }
  })

  it('a share altered with its checksum recomputed: caught by the secret check, and named when spares allow', async () => {
    const forged = forge(shares[2] as string, (point) => (point[5] = (point[5] as number) ^ 0x40))
    await assert.rejects(combineRootKeyShares([shares[0], shares[1], forged] as string[]), refused(/do not give back the secret/, secret))
    await assert.rejects(
      combineRootKeyShares([shares[0], forged, shares[1], shares[3]] as string[]),
      refused(/share 2 does not fit the others/, secret),
    )
  })

  it('a share whose secret check was altered', async () => {
    const decoded = decodeShare(shares[1] as string, 2)
    const check = decoded.check.slice()
    check[0] = (check[0] as number) ^ 1
    const forged = encodeShare({ ...decoded, check })
    await assert.rejects(combineRootKeyShares([shares[0], forged, shares[2]] as string[]), refused(/share 2 differs from the others/))
  })

  it('a wrong threshold field: typed (checksum), forged consistently (secret check) or forged in one share', async () => {
    const withThreshold = (share: string, threshold: number) => encodeShare({ ...decodeShare(share, 1), threshold })
    const typed = (shares[0] as string).replace(/^(coffre-share-v1-\w+-)3-/, '$12-')
    await assert.rejects(combineRootKeyShares([typed, shares[1] as string]), refused(/Share 1 .*checksum/))
    await assert.rejects(combineRootKeyShares(shares.slice(0, 2).map((s) => withThreshold(s, 2))), refused(/do not give back the secret/, secret))
    await assert.rejects(
      combineRootKeyShares([withThreshold(shares[0] as string, 4), shares[1], shares[2]] as string[]),
      refused(/disagree on how many are needed: share 1 differs/),
    )
    await assert.rejects(combineRootKeyShares([(shares[0] as string).replace('-3-1-', '-300-1-')]), refused(/Share 1: the threshold field/))
  })

  it('garbage strings, unknown versions, truncated shares', async () => {
    await assert.rejects(combineRootKeyShares(['hello world', shares[0] as string]), refused(/Share 1 is not a Coffre backup share/))
    await assert.rejects(combineRootKeyShares([shares[0] as string, (shares[1] as string).replace('-v1-', '-v2-')]), refused(/Share 2 is a share format this Coffre does not know/))
    await assert.rejects(combineRootKeyShares([(shares[0] as string).slice(0, 40)]), refused(/Share 1/))
    await assert.rejects(combineRootKeyShares([(shares[0] as string).replace(/-\w+-(\w{8})$/, '-$1')]), refused(/Share 1: the share data has the wrong length/))
    await assert.rejects(combineRootKeyShares(['coffre-share-v1-UUUUUUUU-3-1-A-B']), refused(/Share 1: "U" is not a share character/))
    await assert.rejects(combineRootKeyShares([''] ), refused(/Share 1 is not a Coffre backup share/))
  })

  it('empty input and wrong types', async () => {
    await assert.rejects(combineRootKeyShares([]), refused(/No shares/))
    await assert.rejects(combineRootKeyShares('coffre-share-v1' as unknown as string[]), TypeError)
    await assert.rejects(combineRootKeyShares([42 as unknown as string]), TypeError)
  })

  it('accepts common misreadings (O for 0, l for 1, lower case, spaces for dashes)', async () => {
    const sloppy = (shares[0] as string).toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l').replace(/-/g, ' ').replace('coffre share v', 'coffre share v1').replace('v1l', 'v1')
    assert.deepEqual(await combineRootKeyShares([sloppy, shares[3], shares[4]] as string[]), secret)
  })

  it('binds shares to a vault when asked', async () => {
    const tagged = await splitRootKey(secret, { shares: 3, threshold: 2, vaultId: 'vault-a' })
    assert.deepEqual(await combineRootKeyShares(tagged.slice(0, 2), { vaultId: 'vault-a' }), secret)
    await assert.rejects(combineRootKeyShares(tagged.slice(0, 2), { vaultId: 'vault-b' }), refused(/not made for this vault/))
  })
})
