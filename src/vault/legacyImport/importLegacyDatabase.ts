/**
 * `coffre import legacy`: imports users from a database laid out like the seed system's `users`
 * table. First the legacy key must prove itself on the source (confirmLegacyKey: a wrong key stops
 * the import before anything is written). Then each key is classified (legacy-encrypted, plaintext
 * matching its address, or quarantined with a reason), imported through the vault's own
 * user-creation path (origin `legacy`, no mnemonic, a new identity key) and its API credentials
 * stored encrypted. A user with a Polygon wallet and no Solana wallet (both Solana columns NULL, as
 * the seed's schema allows) is imported with its Polygon wallet only.
 *
 * Idempotent and resumable: a user already in the vault with the same addresses counts as already
 * present, so a killed run is finished by running it again; API credentials it ever imported are
 * never imported again — not after they were used (moved to `clob_credentials`), and above all not
 * after they were revoked. `dryRun` classifies everything and writes nothing.
 */
import { getAddress } from 'viem'
import { classifyApiCredentials, type ApiCredentials } from '../../ops/legacyImport/classifyApiCredentials.ts'
import { classifyWalletKey, type ClassifiedKey } from '../../ops/legacyImport/classifyWalletKey.ts'
import { confirmLegacyKey } from '../../ops/legacyImport/confirmLegacyKey.ts'
import { openLegacySource, type LegacyUserRow } from '../../ops/legacyImport/legacySource.ts'
import { findPresentUsers, findTakenAddresses, knownApiCredentials, type PresentUser } from '../../store/legacyImportQueries.ts'
import { generateIdentityKey } from '../../wallet/identityKey.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import type { NewUserItem } from '../users/storeNewUser.ts'
import type { ImportItem, QuarantinedValue, Tally } from './legacyImportTypes.ts'
import { writeLegacyBatch } from './writeLegacyBatch.ts'

export type { QuarantinedValue } from './legacyImportTypes.ts'

export type LegacyImportOptions = ActionOptions & {
  readonly from: string
  readonly legacyKey: Uint8Array
  readonly dryRun?: boolean
  readonly batchSize?: number
  readonly onProgress?: (event: { readonly scanned: number; readonly total: number }) => void
}


export type LegacyImportReport = {
  readonly source: string
  readonly dryRun: boolean
  readonly scanned: number
  /** Users written by this run (or that would be, with dryRun). */
  readonly imported: number
  readonly alreadyPresent: number
  readonly quarantinedUsers: number
  readonly quarantined: readonly QuarantinedValue[]
  /** `alreadyPresent`: credentials an earlier run imported (even if since used, moved or revoked). */
  readonly apiCredentials: { readonly imported: number; readonly quarantined: number; readonly alreadyPresent: number }
  /** How the imported keys were stored in the source, e.g. `polygon:legacy-encrypted:hex-0x`, `solana:absent`. */
  readonly formats: Readonly<Record<string, number>>
}


const blank = (value: string | null | undefined) => value == null || value.trim() === ''
const polygonAddressOf = (row: LegacyUserRow) => (row.polygon_address !== null && /^0x[0-9a-fA-F]{40}$/.test(row.polygon_address.trim()) ? getAddress(row.polygon_address.trim()) : null)
const solanaAddressOf = (row: LegacyUserRow) => (blank(row.solana_address) ? undefined : row.solana_address!.trim())

export async function importLegacyDatabase(ctx: VaultContext, options: LegacyImportOptions): Promise<LegacyImportReport> {
  const actor = options.actor ?? DEFAULT_ACTOR
  const dryRun = options.dryRun === true
  const pageSize = options.batchSize ?? 200
  const source = await openLegacySource(options.from)
  const tally: Tally = { imported: 0, alreadyPresent: 0, quarantinedUsers: 0, credImported: 0, credQuarantined: 0, credPresent: 0 }
  const quarantined: QuarantinedValue[] = []
  const formats: Record<string, number> = {}
  const quarantine = (telegramUserId: string, field: string, reason: string) => quarantined.push({ telegramUserId, field, reason })
  const countFormat = (format: string) => (formats[format] = (formats[format] ?? 0) + 1)
  let scanned = 0
  try {
    const total = await source.count()
    await confirmLegacyKey(source, options.legacyKey, pageSize)
    let after: string | null = null
    for (;;) {
      const rows = await source.page(after, pageSize)
      if (rows.length === 0) break
      after = rows[rows.length - 1]!.telegram_user_id
      const present = await findPresentUsers(ctx.store.db, rows.map((r) => Number(r.telegram_user_id)))
      const known = await knownApiCredentials(ctx.store.db, [...present.values()].map((p) => p.userId))
      const taken = await findTakenAddresses(ctx.store.db, rows.flatMap((r) => [polygonAddressOf(r), solanaAddressOf(r)].filter((a): a is string => a !== null && a !== undefined)))
      const toImport: ImportItem[] = []
      const credentialsForExisting: { userId: string; credentials: ApiCredentials }[] = []
      const quarantinedBefore = quarantined.length
      for (const row of rows) {
        const id = row.telegram_user_id
        const credentials = classifyApiCredentials(row, options.legacyKey)
        if (credentials.kind === 'quarantine') {
          quarantine(id, credentials.field, credentials.reason)
          tally.credQuarantined += 1
        }
        const existing = present.get(id)
        if (existing !== undefined) {
          if (!sameAddresses(existing, row)) {
            quarantine(id, 'user', 'this telegram id is already in the vault with other addresses')
            tally.quarantinedUsers += 1
          } else {
            tally.alreadyPresent += 1
            if (credentials.kind === 'ok') {
              // Imported before (perhaps since used, moved or revoked): never again.
              if (known.has(`${existing.userId} ${credentials.credentials.apiKey}`)) tally.credPresent += 1
              else {
                credentialsForExisting.push({ userId: existing.userId, credentials: credentials.credentials })
                continue
              }
            }
          }
          if (credentials.kind === 'ok') wipeCredentials(credentials.credentials)
          continue
        }
        const polygon = classifyWalletKey('polygon', row.polygon_private_key, row.polygon_address, options.legacyKey)
        // The seed's schema lets a user have a Polygon wallet and no Solana wallet at all.
        const solana: ClassifiedKey | null = blank(row.solana_private_key) && blank(row.solana_address) ? null : classifyWalletKey('solana', row.solana_private_key, row.solana_address, options.legacyKey)
        const conflict = [polygon, solana].some((k) => k !== null && k.ok && taken.has(k.address))
        if (!polygon.ok || (solana !== null && !solana.ok) || conflict) {
          if (!polygon.ok) quarantine(id, 'polygon_private_key', polygon.reason)
          if (solana !== null && !solana.ok) quarantine(id, 'solana_private_key', solana.reason)
          if (conflict) quarantine(id, 'user', 'an address already belongs to another vault user')
          wipeKey(polygon)
          if (solana !== null) wipeKey(solana)
          if (credentials.kind === 'ok') wipeCredentials(credentials.credentials)
          tally.quarantinedUsers += 1
          continue
        }
        countFormat(`polygon:${polygon.source}:${polygon.format}`)
        countFormat(solana === null ? 'solana:absent' : `solana:${solana.source}:${solana.format}`)
        toImport.push({
          credentials: credentials.kind === 'ok' ? credentials.credentials : null,
          item: {
            fields: { telegramUserId: Number(id), username: row.username, origin: 'legacy', actor, auditDetails: { polygonSource: polygon.source, solanaSource: solana === null ? 'absent' : solana.source } },
            secrets: {
              entropy: null,
              evm: { privateKey: polygon.privateKey, address: polygon.address, path: null },
              solana: solana === null ? null : { secretKey: solana.privateKey, address: solana.address, path: null },
              identity: generateIdentityKey(),
            },
          },
        })
      }
      scanned += rows.length
      if (dryRun) {
        tally.imported += toImport.length
        tally.credImported += toImport.filter((t) => t.credentials !== null).length + credentialsForExisting.length
      } else {
        await writeLegacyBatch(ctx, source.name, toImport, credentialsForExisting, quarantined.slice(quarantinedBefore), actor, tally)
      }
      for (const { item, credentials } of toImport) {
        wipeSecrets(item)
        if (credentials !== null) wipeCredentials(credentials)
      }
      credentialsForExisting.forEach((c) => wipeCredentials(c.credentials))
      options.onProgress?.({ scanned, total })
    }
  } finally {
    await source.close()
  }
  return {
    source: source.name,
    dryRun,
    scanned,
    imported: tally.imported,
    alreadyPresent: tally.alreadyPresent,
    quarantinedUsers: tally.quarantinedUsers,
    quarantined,
    apiCredentials: { imported: tally.credImported, quarantined: tally.credQuarantined, alreadyPresent: tally.credPresent },
    formats,
  }
}

function sameAddresses(present: PresentUser, row: LegacyUserRow): boolean {
  const polygon = polygonAddressOf(row)
  return polygon !== null && present.polygon === polygon && present.solana === solanaAddressOf(row)
}

const wipeKey = (key: ClassifiedKey) => {
  if (key.ok) key.privateKey.fill(0)
}
export const wipeCredentials = (c: ApiCredentials) => {
  c.secret.fill(0)
  c.passphrase.fill(0)
}
const wipeSecrets = (item: NewUserItem) => [item.secrets.evm.privateKey, item.secrets.solana?.secretKey, item.secrets.identity.privateKey].forEach((b) => b?.fill(0))
