/**
 * `coffre import legacy`: imports users from a database laid out like the seed system's `users`
 * table. Each key is classified (legacy-encrypted, plaintext matching its address, or quarantined
 * with a reason), imported through the vault's own user-creation path (origin `legacy`, no
 * mnemonic, a new identity key) and its API credentials stored encrypted. Idempotent and
 * resumable: a user already in the vault with the same addresses counts as already present, so a
 * killed run is finished by running it again. `dryRun` classifies everything and writes nothing.
 */
import { getAddress } from 'viem'
import { classifyApiCredentials, type ApiCredentials } from '../../ops/legacyImport/classifyApiCredentials.ts'
import { classifyWalletKey, type ClassifiedKey } from '../../ops/legacyImport/classifyWalletKey.ts'
import { openLegacySource, type LegacyUserRow } from '../../ops/legacyImport/legacySource.ts'
import { generateIdentityKey } from '../../wallet/identityKey.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import { storeNewUsers, type NewUserItem } from '../users/storeNewUser.ts'
import { storeLegacyCredentials } from './storeLegacyCredentials.ts'

export type LegacyImportOptions = ActionOptions & {
  readonly from: string
  readonly legacyKey: Uint8Array
  readonly dryRun?: boolean
  readonly batchSize?: number
  readonly onProgress?: (event: { readonly scanned: number; readonly total: number }) => void
}

export type QuarantinedValue = { readonly telegramUserId: string; readonly field: string; readonly reason: string }

export type LegacyImportReport = {
  readonly source: string
  readonly dryRun: boolean
  readonly scanned: number
  /** Users written by this run (or that would be, with dryRun). */
  readonly imported: number
  readonly alreadyPresent: number
  readonly quarantinedUsers: number
  readonly quarantined: readonly QuarantinedValue[]
  readonly apiCredentials: { readonly imported: number; readonly quarantined: number }
  /** How the imported keys were stored in the source, e.g. `polygon:legacy-encrypted:hex-0x`. */
  readonly formats: Readonly<Record<string, number>>
}

type Existing = { userId: string; polygon: string | undefined; solana: string | undefined; hasCredentials: boolean }

export async function importLegacyDatabase(ctx: VaultContext, options: LegacyImportOptions): Promise<LegacyImportReport> {
  const actor = options.actor ?? DEFAULT_ACTOR
  const dryRun = options.dryRun === true
  const source = await openLegacySource(options.from)
  const report = { scanned: 0, imported: 0, alreadyPresent: 0, quarantinedUsers: 0, credImported: 0, credQuarantined: 0 }
  const quarantined: QuarantinedValue[] = []
  const formats: Record<string, number> = {}
  const quarantine = (telegramUserId: string, field: string, reason: string) => quarantined.push({ telegramUserId, field, reason })
  try {
    const total = await source.count()
    let after: string | null = null
    for (;;) {
      const rows = await source.page(after, options.batchSize ?? 200)
      if (rows.length === 0) break
      after = rows[rows.length - 1]!.telegram_user_id
      const existing = await findExisting(ctx, rows)
      const takenAddresses = await findTakenAddresses(ctx, rows)
      const toImport: { row: LegacyUserRow; item: NewUserItem; credentials: ApiCredentials | null }[] = []
      const credentialsForExisting: { userId: string; credentials: ApiCredentials }[] = []
      const quarantinedBefore = quarantined.length
      for (const row of rows) {
        const id = row.telegram_user_id
        const present = existing.get(id)
        const credentials = classifyApiCredentials(row, options.legacyKey)
        if (credentials.kind === 'quarantine') {
          quarantine(id, credentials.field, credentials.reason)
          report.credQuarantined += 1
        }
        if (present !== undefined) {
          if (!sameAddresses(present, row)) {
            quarantine(id, 'user', 'this telegram id is already in the vault with other addresses')
            report.quarantinedUsers += 1
            continue
          }
          report.alreadyPresent += 1
          if (credentials.kind === 'ok' && !present.hasCredentials) credentialsForExisting.push({ userId: present.userId, credentials: credentials.credentials })
          continue
        }
        const polygon = classifyWalletKey('polygon', row.polygon_private_key, row.polygon_address, options.legacyKey)
        const solana = classifyWalletKey('solana', row.solana_private_key, row.solana_address, options.legacyKey)
        const conflict = [polygon, solana].some((k) => k.ok && takenAddresses.has(k.address))
        if (!polygon.ok || !solana.ok || conflict) {
          if (!polygon.ok) quarantine(id, 'polygon_private_key', polygon.reason)
          if (!solana.ok) quarantine(id, 'solana_private_key', solana.reason)
          if (conflict) quarantine(id, 'user', 'an address already belongs to another vault user')
          wipeKey(polygon)
          wipeKey(solana)
          if (credentials.kind === 'ok') wipeCredentials(credentials.credentials)
          report.quarantinedUsers += 1
          continue
        }
        for (const [chain, key] of [['polygon', polygon], ['solana', solana]] as const) formats[`${chain}:${key.source}:${key.format}`] = (formats[`${chain}:${key.source}:${key.format}`] ?? 0) + 1
        toImport.push({
          row,
          credentials: credentials.kind === 'ok' ? credentials.credentials : null,
          item: {
            fields: { telegramUserId: Number(id), username: row.username, origin: 'legacy', actor, auditDetails: { polygonSource: polygon.source, solanaSource: solana.source } },
            secrets: { entropy: null, evm: { privateKey: polygon.privateKey, address: polygon.address }, solana: { secretKey: solana.privateKey, address: solana.address }, identity: generateIdentityKey() },
          },
        })
      }
      report.scanned += rows.length
      if (dryRun) {
        report.imported += toImport.length
        report.credImported += toImport.filter((t) => t.credentials !== null).length + credentialsForExisting.length
      } else {
        await writeBatch(ctx, source.name, toImport, credentialsForExisting, quarantined.slice(quarantinedBefore), actor, report)
      }
      for (const { item, credentials } of toImport) {
        wipeSecrets(item)
        if (credentials !== null) wipeCredentials(credentials)
      }
      credentialsForExisting.forEach((c) => wipeCredentials(c.credentials))
      options.onProgress?.({ scanned: report.scanned, total })
    }
  } finally {
    await source.close()
  }
  return {
    source: source.name,
    dryRun,
    scanned: report.scanned,
    imported: report.imported,
    alreadyPresent: report.alreadyPresent,
    quarantinedUsers: report.quarantinedUsers,
    quarantined,
    apiCredentials: { imported: report.credImported, quarantined: report.credQuarantined },
    formats,
  }
}

async function writeBatch(
  ctx: VaultContext,
  sourceName: string,
  toImport: readonly { row: LegacyUserRow; item: NewUserItem; credentials: ApiCredentials | null }[],
  credentialsForExisting: { userId: string; credentials: ApiCredentials }[],
  quarantined: readonly QuarantinedValue[],
  actor: string,
  report: { imported: number; alreadyPresent: number; credImported: number },
): Promise<void> {
  const users = toImport.length === 0 ? [] : await storeNewUsers(ctx, toImport.map((t) => t.item))
  const credentials = [...credentialsForExisting]
  users.forEach((user, i) => {
    if (user === null) {
      report.alreadyPresent += 1 // a concurrent run imported it first
      return
    }
    report.imported += 1
    const creds = toImport[i]!.credentials
    if (creds !== null) credentials.push({ userId: user.id, credentials: creds })
  })
  report.credImported += await storeLegacyCredentials(ctx, credentials, actor)
  if (quarantined.length > 0) {
    const at = new Date().toISOString()
    await ctx.store.db
      .insertInto('legacy_import_quarantine')
      .values(quarantined.map((q) => ({ source: sourceName, telegram_user_id: Number(q.telegramUserId), field: q.field, reason: q.reason, at })))
      .onConflict((oc) => oc.columns(['source', 'telegram_user_id', 'field']).doUpdateSet((eb) => ({ reason: eb.ref('excluded.reason'), at: eb.ref('excluded.at') })))
      .execute()
  }
}

async function findExisting(ctx: VaultContext, rows: readonly LegacyUserRow[]): Promise<Map<string, Existing>> {
  const ids = rows.map((r) => Number(r.telegram_user_id))
  const users = await ctx.store.db.selectFrom('users').select(['id', 'telegram_user_id']).where('telegram_user_id', 'in', ids).execute()
  const map = new Map<string, Existing>()
  if (users.length === 0) return map
  const userIds = users.map((u) => u.id)
  const wallets = await ctx.store.db.selectFrom('wallets').select(['user_id', 'chain', 'address']).where('user_id', 'in', userIds).execute()
  const creds = new Set((await ctx.store.db.selectFrom('legacy_api_credentials').select('user_id').where('user_id', 'in', userIds).execute()).map((c) => c.user_id))
  for (const user of users) {
    const address = (chain: string) => wallets.find((w) => w.user_id === user.id && w.chain === chain)?.address
    map.set(String(user.telegram_user_id), { userId: user.id, polygon: address('polygon'), solana: address('solana'), hasCredentials: creds.has(user.id) })
  }
  return map
}

async function findTakenAddresses(ctx: VaultContext, rows: readonly LegacyUserRow[]): Promise<Set<string>> {
  const addresses: string[] = []
  for (const row of rows) {
    if (row.solana_address) addresses.push(row.solana_address.trim())
    if (row.polygon_address && /^0x[0-9a-fA-F]{40}$/.test(row.polygon_address.trim())) addresses.push(getAddress(row.polygon_address.trim()))
  }
  if (addresses.length === 0) return new Set()
  const taken = await ctx.store.db.selectFrom('wallets').select('address').where('address', 'in', addresses).execute()
  return new Set(taken.map((t) => t.address))
}

function sameAddresses(present: Existing, row: LegacyUserRow): boolean {
  const polygon = row.polygon_address?.trim() ?? ''
  const samePolygon = /^0x[0-9a-fA-F]{40}$/.test(polygon) && present.polygon === getAddress(polygon)
  return samePolygon && present.solana === row.solana_address?.trim()
}

const wipeKey = (key: ClassifiedKey) => {
  if (key.ok) key.privateKey.fill(0)
}
const wipeCredentials = (c: ApiCredentials) => {
  c.secret.fill(0)
  c.passphrase.fill(0)
}
const wipeSecrets = (item: NewUserItem) => [item.secrets.evm.privateKey, item.secrets.solana.secretKey, item.secrets.identity.privateKey].forEach((b) => b.fill(0))
