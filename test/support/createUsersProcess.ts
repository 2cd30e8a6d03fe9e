/**
 * A separate OS process that opens the vault on the given PostgreSQL database and creates users
 * for the given telegram ids concurrently. Used to test idempotency across processes.
 * argv: <databaseUrl> <comma-separated telegram ids>; the root key comes as base64 on stdin.
 */
import { readFileSync } from 'node:fs'
import { openVault } from '../../src/vault/openVault.ts'

const [url, ids] = process.argv.slice(2)
const masterKey = new Uint8Array(Buffer.from(readFileSync(0, 'utf8').trim(), 'base64'))
const vault = await openVault({ store: { kind: 'postgres', url: url!, maxConnections: 8 }, rootKey: { kind: 'local', masterKey }, mnemonicWords: 12 })
const telegramIds = ids!.split(',').map(Number)
// Every id twice, interleaved, all at once.
const results = await Promise.all([...telegramIds, ...telegramIds.reverse()].map((telegramUserId) => vault.users.ensure({ telegramUserId })))
process.stdout.write(JSON.stringify(results.map((r) => ({ telegramUserId: r.user.telegramUserId, id: r.user.id, polygonAddress: r.user.polygonAddress, created: r.created }))))
await vault.close()
