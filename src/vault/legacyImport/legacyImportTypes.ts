/** Shapes shared by the legacy import's steps. */
import type { ApiCredentials } from '../../ops/legacyImport/classifyApiCredentials.ts'
import type { NewUserItem } from '../users/storeNewUser.ts'

export type QuarantinedValue = { readonly telegramUserId: string; readonly field: string; readonly reason: string }
export type ImportItem = { readonly item: NewUserItem; readonly credentials: ApiCredentials | null }
export type Tally = { imported: number; alreadyPresent: number; quarantinedUsers: number; credImported: number; credQuarantined: number; credPresent: number }
