/**
 * Splits a 32-byte root key into `shares` text shares, any `threshold` of which give it back
 * (Shamir over GF(256) by the audited `shamir-secret-sharing`; see shareCodec.ts for the text form).
 */
import { randomBytes } from 'node:crypto'
import { split } from 'shamir-secret-sharing'
import { invalidInput } from '../../errors.ts'
import { secretCheck, vaultTag } from './secretCheck.ts'
import { encodeShare, rootKeyBytes, setIdBytes } from './shareCodec.ts'

export type SplitOptions = {
  readonly shares: number
  readonly threshold: number
  /** Tags the set id so that shares restored into another vault are named as such. */
  readonly vaultId?: string
}

export async function splitRootKey(secret: Uint8Array, options: SplitOptions): Promise<string[]> {
  if (!(secret instanceof Uint8Array)) throw new TypeError('secret must be a Uint8Array')
  if (secret.length !== rootKeyBytes) throw invalidInput(`secret must be ${rootKeyBytes} bytes`)
  const { shares, threshold, vaultId } = options ?? {}
  if (!Number.isInteger(shares) || shares < 2 || shares > 255) throw invalidInput('shares must be an integer from 2 to 255')
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > shares) throw invalidInput('threshold must be an integer from 2 to shares')
  if (vaultId !== undefined && (typeof vaultId !== 'string' || vaultId.length === 0)) throw invalidInput('vaultId must be a non-empty string')

  const setId = new Uint8Array(randomBytes(setIdBytes))
  if (vaultId !== undefined) setId.set(vaultTag(vaultId), 0)
  const check = secretCheck(secret, setId, threshold)
  const points = await split(secret.slice(), shares, threshold)
  try {
    return points.map((point, i) => encodeShare({ setId, threshold, index: i + 1, point, check }))
  } finally {
    for (const point of points) point.fill(0)
  }
}
