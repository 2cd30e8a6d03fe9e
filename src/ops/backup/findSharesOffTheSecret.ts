/**
 * When more than `threshold` shares were given and together they miss the secret check, finds which
 * ones are off: a `threshold`-subset that passes the check identifies the secret, and every other
 * share is tested against it. Bounded, so a large set costs at most a few thousand combines; returns
 * [] when nothing can be said (exactly `threshold` shares, or no consistent subset found).
 */
import { combine } from 'shamir-secret-sharing'
import { secretCheckMatches } from './secretCheck.ts'
import type { DecodedShare } from './shareCodec.ts'

const maxTries = 2000

function* subsets<T>(items: readonly T[], size: number, start = 0): Generator<T[]> {
  if (size === 0) return yield []
  for (let i = start; i <= items.length - size; i++) {
    for (const rest of subsets(items, size - 1, i + 1)) yield [items[i] as T, ...rest]
  }
}

async function passes(shares: readonly DecodedShare[], set: DecodedShare): Promise<boolean> {
  const secret = await combine(shares.map((share) => share.point))
  try {
    return secretCheckMatches(secret, set.setId, set.threshold, set.check)
  } finally {
    secret.fill(0)
  }
}

export async function findSharesOffTheSecret(shares: readonly DecodedShare[], set: DecodedShare): Promise<DecodedShare[]> {
  if (shares.length <= set.threshold) return []
  let tries = 0
  for (const good of subsets(shares, set.threshold)) {
    if (++tries > maxTries) return []
    if (!(await passes(good, set))) continue
    const base = good.slice(1)
    const off: DecodedShare[] = []
    for (const share of shares) {
      if (!good.includes(share) && !(await passes([...base, share], set))) off.push(share)
    }
    return off
  }
  return []
}
