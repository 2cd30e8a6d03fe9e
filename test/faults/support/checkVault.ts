/**
 * The check after every crash point: the vault opens, every user exports (and matches the ledger),
 * `doctor` and `audit verify` pass. Opened fresh each time, in this process, so no cache of the
 * crashed run and no process start is involved.
 */
import type { VaultConfig } from '../../../src/config.ts'
import type { ExportedWallet } from '../../../src/vault/users/exportUser.ts'
import { openVault, type OpenVaultOptions } from '../../../src/vault/openVault.ts'
import type { AddressLedger } from './addressLedger.ts'

export type VaultCheck = {
  readonly users: number
  /** Acknowledged secrets lost or changed (the goal is none). */
  readonly lost: readonly string[]
  /** doctor / audit verify failures. */
  readonly problems: readonly string[]
}

/**
 * `doctor: false` for a crashed state before its re-run (doctor may rightly report the unfinished
 * operation then); exports and the audit chain are checked either way.
 */
export async function checkVault(config: VaultConfig, ledger: AddressLedger, options: OpenVaultOptions & { doctor?: boolean } = {}): Promise<VaultCheck> {
  const vault = await openVault(config, options)
  try {
    const exported = new Map<number, ExportedWallet>()
    const problems: string[] = []
    for (let cursor: string | null | undefined; cursor !== null; ) {
      const page = await vault.users.list({ limit: 500, ...(cursor ? { cursor } : {}) })
      for (const user of page.users) {
        try {
          exported.set(user.telegramUserId, await vault.users.export({ id: user.id }, { actor: 'faults-check' }))
        } catch (error) {
          problems.push(`telegram ${user.telegramUserId} does not export: ${(error as Error).message}`)
        }
      }
      cursor = page.nextCursor
    }
    const doctor = options.doctor === false ? { checks: [] } : await vault.doctor({ actor: 'faults-check' })
    for (const check of doctor.checks.filter((c) => !c.ok)) problems.push(`doctor ${check.name}: ${check.detail}${check.failures ? ` (${check.failures.slice(0, 3).join('; ')})` : ''}`)
    const audit = await vault.audit.verify()
    if (!audit.ok) problems.push(`audit verify: entry ${audit.firstBrokenEntry}: ${audit.reason}`)
    return { users: exported.size, lost: ledger.check(exported), problems }
  } finally {
    await vault.close()
  }
}
