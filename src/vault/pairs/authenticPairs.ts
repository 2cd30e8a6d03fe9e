/**
 * Pair rows as read, once they authenticate: a pair whose identity or main key, or an extra key
 * whose pair or position, was rewritten by SQL is COFFRE_INTEGRITY_FAILED, never a key that "belongs".
 */
import type { Executor } from '../keyring/dataKeyStore.ts'
import { findPairKeyRows, type PairKeyRow, type PairRow } from '../../store/pairs.ts'
import type { VaultContext } from '../context.ts'

export function authenticPair<R extends PairRow | undefined>(ctx: VaultContext, row: R): R {
  if (row !== undefined) ctx.integrity.require('pairs', row)
  return row
}

/** The extra keys of each pair (in position order), every row authenticated. */
export async function authenticPairKeys(ctx: VaultContext, via: Executor, uuids: readonly string[]): Promise<Map<string, string[]>> {
  const keys = new Map<string, string[]>(uuids.map((uuid) => [uuid, []]))
  for (const row of await findPairKeyRows(via, uuids)) {
    ctx.integrity.require('pair_public_keys', row)
    keys.get(row.pair_uuid)?.push(row.public_key)
  }
  return keys
}

export const pairKeyMac = (ctx: VaultContext) => (row: PairKeyRow): string => ctx.integrity.macOf('pair_public_keys', row)
