/**
 * SQLite on a full disk: the vault lives on a 16 MiB tmpfs of its own, served by a real `coffre
 * serve`; the WAL is checkpointed to zero bytes and the filesystem filled to the last page. Then
 * every kind of write — HTTP signing (its audit entry), HTTP user creation, `coffre users create`,
 * the library's `ensureMany` — is refused with a typed error (COFFRE_STORE_FAILED or
 * COFFRE_AUDIT_FAILED; never COFFRE_INTERNAL, a hang or a crash) while reads go on; nothing is
 * half-written; and once the space is freed the same writes succeed with no restart.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import Sqlite from 'better-sqlite3'
import { isCoffreError } from '../../src/errors.ts'
import { openVault } from '../../src/vault/openVault.ts'
import { checkVault } from './support/checkVault.ts'
import { cliErrorCode, runChild } from './support/faultChild.ts'
import { createFaultVault } from './support/faultVault.ts'
import { scenario } from './support/faultTally.ts'
import { parseJsonLines } from './support/jsonLines.ts'
import { serviceUnderTest, type ServiceUnderTest } from './support/serviceUnderTest.ts'
import { mountSmallFilesystem, type SmallFilesystem } from './support/smallFilesystem.ts'

const TYPED = /^COFFRE_(STORE|AUDIT)_FAILED$/

describe('SQLite on a full disk, under coffre serve', () => {
  let disk: SmallFilesystem
  let sut: ServiceUnderTest
  before(async () => {
    disk = mountSmallFilesystem(16)
    sut = await serviceUnderTest(await createFaultVault('sqlite', { dir: join(disk.dir, 'vault') }))
  })
  after(async () => {
    try {
      await sut?.close()
    } finally {
      disk?.unmount()
    }
  })

  test('writes fail typed while the disk is full, nothing is half-written, service resumes once space is freed', (t) =>
    scenario('SQLite full disk: writes refused typed, nothing half-written, service after freeing', 'sqlite', async () => {
    const { fv } = sut
    const headers = { authorization: `Bearer ${sut.token}`, 'content-type': 'application/json' }
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${sut.server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) })
      return { status: response.status, json: (await response.json()) as any }
    }
    const sign = () => post(`/v1/users/${sut.users[0]!.id}/sign/message`, { chain: 'polygon', message: 'disk full?' })
    const createCli = (telegramUserId: number) => runChild({ args: [...fv.args, 'users', 'create', '--telegram-id', String(telegramUserId), '--json'], watchdogMs: 60_000 }, { kind: 'never' })
    const ensureMany = async (first: number) => {
      const vault = await openVault(fv.config)
      try {
        return await vault.users.ensureMany(Array.from({ length: 20 }, (_, i) => ({ telegramUserId: first + i })))
      } finally {
        await vault.close()
      }
    }

    // No room left anywhere: the WAL emptied, then the filesystem filled.
    const db = new Sqlite(join(fv.store.dir, 'coffre.db'))
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    t.diagnostic(`filled the filesystem with ${disk.fill()} bytes`)

    const signed = await sign()
    assert.equal(signed.status, 503, JSON.stringify(signed.json))
    assert.match(signed.json.error.code, TYPED)
    const created = await post('/v1/users', { telegramUserId: 5001 })
    assert.equal(created.status, 503, JSON.stringify(created.json))
    assert.match(created.json.error.code, TYPED)
    const cli = await createCli(5002)
    assert.equal(cli.code, 1, cli.stderr)
    assert.match(cliErrorCode(cli) ?? '', TYPED, cli.stderr)
    await assert.rejects(ensureMany(6000), (e) => isCoffreError(e) && TYPED.test(e.code))
    const read = await fetch(`${sut.server.url}/v1/users/${sut.users[0]!.id}`, { headers, signal: AbortSignal.timeout(15_000) })
    assert.equal(read.status, 200, 'reads are still served')

    disk.free()
    const again = await sign()
    assert.equal(again.status, 200, JSON.stringify(again.json))
    const createdAfter = await post('/v1/users', { telegramUserId: 5001 })
    assert.equal(createdAfter.status, 201, JSON.stringify(createdAfter.json))
    sut.ledger.acknowledge({ telegramUserId: 5001, ...createdAfter.json })
    const cliAfter = await createCli(5002)
    assert.equal(cliAfter.code, 0, cliAfter.stderr)
    for (const user of parseJsonLines<{ telegramUserId: number; polygonAddress: string; solanaAddress: string }>(cliAfter.stdout)) sut.ledger.acknowledge(user)
    for (const { user, created: isNew } of await ensureMany(6000)) {
      assert.ok(isNew, 'the refused bulk creation left no user behind')
      sut.ledger.acknowledge(user)
    }
    const check = await checkVault(fv.config, sut.ledger)
    assert.deepEqual([...check.lost, ...check.problems], [])
    assert.equal(check.users, sut.users.length + 22, 'exactly the users created after the space was freed were added')
    }),
  )
})
