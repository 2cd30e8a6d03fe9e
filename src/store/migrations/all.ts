/**
 * Every schema migration, in order. Append only: a released migration never changes.
 * Later capabilities (tokens, pairs, Polymarket credentials, outbox, rotation jobs) add theirs here.
 */
import type { Migration } from 'kysely'
import { coreMigration } from './001_core.ts'
import { httpMigration } from './002_http.ts'
import { keyManagementMigration } from './003_key_management.ts'
import { pairsMigration } from './004_pairs.ts'
import { polymarketMigration } from './005_polymarket.ts'
import { recoveryMigration } from './006_recovery.ts'
import { chainMigration } from './007_chain.ts'
import { recoveryPendingMigration } from './008_recovery_pending.ts'
import { integrityMigration } from './009_integrity.ts'
import { policiesMigration } from './010_policies.ts'
import { chainRuntimeMigration } from './011_chain_runtime.ts'
import { userRecoveryMigration } from './012_user_recovery.ts'

export const migrations: Readonly<Record<string, Migration>> = {
  '001_core': coreMigration,
  '002_http': httpMigration,
  '003_key_management': keyManagementMigration,
  '004_pairs': pairsMigration,
  '005_polymarket': polymarketMigration,
  '006_recovery': recoveryMigration,
  '007_chain': chainMigration,
  '008_recovery_pending': recoveryPendingMigration,
  '009_integrity': integrityMigration,
  '010_policies': policiesMigration,
  '011_chain_runtime': chainRuntimeMigration,
  '012_user_recovery': userRecoveryMigration,
}
