/**
 * The users an operation under test starts from: created in this process through the library
 * (`users.create`, no worker pool to start), each acknowledged in the ledger as created.
 */
import type { VaultConfig } from '../../../src/config.ts'
import { openVault } from '../../../src/vault/openVault.ts'
import type { User } from '../../../src/vault/users/user.ts'
import type { AddressLedger } from './addressLedger.ts'

export async function seedUsers(config: VaultConfig, ledger: AddressLedger, firstTelegramId: number, count: number): Promise<User[]> {
  const vault = await openVault(config)
  try {
    const users = await Promise.all(Array.from({ length: count }, (_, i) => vault.users.create({ telegramUserId: firstTelegramId + i })))
    for (const user of users) ledger.acknowledge(user)
    return users
  } finally {
    await vault.close()
  }
}
