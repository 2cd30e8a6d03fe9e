/**
 * A provisioning script as a bot developer writes one with the library: opens the vault and calls
 * `vault.users.ensureMany` over slices of telegram ids, printing each user (one JSON line) as its
 * slice returns. Run bundled as a child process that the crash matrix kills.
 * stdin: {"store": StoreConfig, "keyFile": path, "telegramIds": number[], "slice": n, "chunk": n}
 */
import { readFileSync } from 'node:fs'
import type { StoreConfig } from '../../../src/store/openStore.ts'
import { openVault } from '../../../src/vault/openVault.ts'

type Input = { store: StoreConfig; keyFile: string; telegramIds: number[]; slice: number; chunk: number }

const input = JSON.parse(readFileSync(0, 'utf8')) as Input
const vault = await openVault({ store: input.store, rootKey: { kind: 'local', keyFile: input.keyFile }, mnemonicWords: 12 })
try {
  for (let i = 0; i < input.telegramIds.length; i += input.slice) {
    const slice = input.telegramIds.slice(i, i + input.slice).map((telegramUserId) => ({ telegramUserId }))
    const results = await vault.users.ensureMany(slice, { chunk: input.chunk, actor: 'provisioning-script' })
    for (const { user, created } of results) {
      process.stdout.write(`${JSON.stringify({ telegramUserId: user.telegramUserId, id: user.id, polygonAddress: user.polygonAddress, solanaAddress: user.solanaAddress, created })}\n`)
    }
  }
} finally {
  await vault.close()
}
