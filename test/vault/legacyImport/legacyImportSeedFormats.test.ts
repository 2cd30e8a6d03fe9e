/**
 * `coffre import legacy` against a database written the way the seed system's own code wrote it
 * (seedSystemFixtures.ts), into both engines:
 * - the formats it left behind import when, and only when, the key re-derives the stored address
 *   (0x0x Polygon keys, Solana hex seeds, Polygon-only users, the 32-character UTF-8 key form);
 * - a wrong legacy key stops at the first encrypted value with COFFRE_LEGACY_KEY_INVALID and
 *   nothing is written;
 * - running it again after the imported API credentials were used (moved out of the legacy table)
 *   or revoked imports nothing, audits nothing new, and never makes a revoked key current again.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { markCredentialRevoked } from '../../../src/vault/polymarket/credentialRows.ts'
import { openVault, type Vault } from '../../../src/vault/openVault.ts'
import { adoptLegacyCredentials } from '../../../src/vault/polymarket/adoptLegacyCredentials.ts'
import { coffreInProcess } from '../../support/cliInProcess.ts'
import { ENGINES, createTestStore, type TestStore } from '../../support/engines.ts'
import { createTestDatabase } from '../../support/postgres.ts'
import { createSeedSystemDatabase, type SeedCase } from '../../ops/legacyImport/seedSystemFixtures.ts'
import { contextOf } from '../../../src/vault/internals.ts'

const CLOB = { baseUrl: 'https://clob.polymarket.com', chainId: 137 }
/** The later seed system's ENCRYPTION_KEY: a 32-character string, used as its UTF-8 bytes. */
const STRING_KEY = 'Zq3!t9#LmP0x@v7&Rr2$Kd8^Wn5*Yb1%'

for (const engine of ENGINES) {
  describe(`legacy import of the seed system's formats into ${engine}`, () => {
    let vaultStore: TestStore
    let source: { url: string; drop(): Promise<void> }
    let cases: SeedCase[]
    let keyFile: string
    let vault: Vault
    const rootKey = randomBytes(32)
    const env = { COFFRE_MASTER_KEY: rootKey.toString('base64') }
    const target = () => (vaultStore.config.kind === 'postgres' ? ['--database-url', vaultStore.config.url] : ['--data-dir', vaultStore.dir])
    const importLegacy = (file: string, more: string[] = []) => coffreInProcess([...target(), 'import', 'legacy', '--from', source.url, '--legacy-key-file', file, '--json', ...more], env)
    const db = () => contextOf(vault).store.db
    const count = async (table: 'users' | 'audit_log' | 'legacy_import_quarantine' | 'legacy_api_credentials') => Number((await db().selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

    before(async () => {
      vaultStore = await createTestStore(engine)
      source = await createTestDatabase()
      cases = await createSeedSystemDatabase(source.url, new TextEncoder().encode(STRING_KEY))
      keyFile = join(vaultStore.dir, 'legacy.key')
      writeFileSync(keyFile, `${STRING_KEY}\n`, { mode: 0o600 })
      vault = await openVault({ store: vaultStore.config, rootKey: { kind: 'local', masterKey: new Uint8Array(rootKey) }, mnemonicWords: 12 })
    })
    after(async () => {
      await vault?.close()
      await source?.drop()
      await vaultStore?.cleanup()
    })

    test('a wrong legacy key stops at the first encrypted value, with a typed error, and writes nothing', async () => {
      const before = { users: await count('users'), audit: await count('audit_log'), quarantine: await count('legacy_import_quarantine') }
      const wrongFile = join(vaultStore.dir, 'wrong.key')
      writeFileSync(wrongFile, randomBytes(32).toString('base64'), { mode: 0o600 })
      // The right string read as if it were the other form is wrong too (a 44-character base64 key of other bytes).
      for (const args of [[], ['--dry-run']]) {
        const run = await importLegacy(wrongFile, args)
        assert.equal(run.code, 1)
        assert.equal(run.stderr, `coffre: COFFRE_LEGACY_KEY_INVALID: the legacy key does not authenticate polygon_private_key of telegram user 10, the first encrypted value in the source: it is not the ENCRYPTION_KEY these values were encrypted with; nothing was imported\n`)
      }
      assert.deepEqual({ users: await count('users'), audit: await count('audit_log'), quarantine: await count('legacy_import_quarantine') }, before)
    })

    test('with the 32-character string key: every format the seed system wrote imports when, and only when, the key derives the stored address', async () => {
      const run = await importLegacy(keyFile, ['--batch-size', '4'])
      assert.equal(run.code, 0, run.stderr)
      const report = run.json
      assert.equal(report.imported, cases.filter((c) => c.expect === 'import').length)
      assert.equal(report.quarantinedUsers, cases.filter((c) => c.expect === 'quarantine').length)
      for (const c of cases) {
        const user = await vault.users.get({ telegramUserId: c.telegramUserId })
        if (c.expect === 'quarantine') {
          assert.equal(user, null, c.label)
          assert.ok(report.quarantined.some((q: { telegramUserId: string; field: string }) => q.telegramUserId === String(c.telegramUserId) && q.field === c.quarantinedField), c.label)
          continue
        }
        assert.ok(user, c.label)
        assert.equal(user.polygonAddress, c.polygonAddress, c.label)
        assert.equal(user.solanaAddress, c.solanaAddress ?? '', c.label)
        if (c.format !== undefined) assert.ok(report.formats[c.format] > 0, `${c.label}: ${c.format} in ${JSON.stringify(report.formats)}`)
      }
      // The keys really are the users': signing works, and a Polygon-only user exports its Polygon key.
      const polygonOnly = cases.find((c) => c.format === 'solana:absent')!
      const signed = await vault.sign.message({ telegramUserId: polygonOnly.telegramUserId }, { chain: 'polygon', message: 'hello' })
      assert.equal(signed.address, polygonOnly.polygonAddress)
      await assert.rejects(vault.sign.message({ telegramUserId: polygonOnly.telegramUserId }, { chain: 'solana', message: 'hello' }), { code: 'COFFRE_UNSUPPORTED' })
      const exported = await vault.users.export({ telegramUserId: polygonOnly.telegramUserId })
      assert.equal(exported.polygonAddress, polygonOnly.polygonAddress)
      assert.equal(exported.solanaSecretKey, '')
      const solanaHex = cases.find((c) => c.format === 'solana:legacy-encrypted:hex-seed')!
      assert.equal((await vault.sign.message({ telegramUserId: solanaHex.telegramUserId }, { chain: 'solana', message: 'hello' })).address, solanaHex.solanaAddress)
      assert.deepEqual(report.apiCredentials, { imported: 2, quarantined: 0, alreadyPresent: 0 })
      const doctor = await vault.doctor({ scheduler: false })
      assert.equal(doctor.ok, true, JSON.stringify(doctor.checks.filter((c) => !c.ok)))
    })

    test('run again after the credentials were used, then revoked: nothing imported, nothing audited, the revoked key stays revoked', async () => {
      const withCreds = cases.find((c) => c.credentials !== undefined)!
      const user = (await vault.users.get({ telegramUserId: withCreds.telegramUserId }))!
      const holder = { userId: user.id, address: user.polygonAddress }
      // First use: the credentials move out of the legacy table into clob_credentials.
      const adopted = await adoptLegacyCredentials(contextOf(vault), holder, CLOB, 'test')
      assert.equal(adopted?.api_key, withCreds.credentials!.apiKey)
      assert.equal(adopted?.state, 'active')
      const imports = async () => (await db().selectFrom('audit_log').select('seq').where('action', '=', 'legacy.import-api-credentials').execute()).length

      const auditBefore = await imports()
      const again = await importLegacy(keyFile)
      assert.equal(again.code, 0, again.stderr)
      assert.equal(again.json.imported, 0)
      assert.deepEqual(again.json.apiCredentials, { imported: 0, quarantined: 0, alreadyPresent: 2 })
      assert.equal(await imports(), auditBefore, 'no new audit entry for credentials imported before')
      assert.equal((await db().selectFrom('legacy_api_credentials').select('user_id').where('user_id', '=', user.id).execute()).length, 0)

      // Revoked since: a re-run still brings nothing back, and nothing makes it current again.
      await db().transaction().execute((trx) => markCredentialRevoked(contextOf(vault), trx, adopted!, new Date().toISOString(), false))
      const third = await importLegacy(keyFile)
      assert.equal(third.code, 0, third.stderr)
      assert.deepEqual(third.json.apiCredentials, { imported: 0, quarantined: 0, alreadyPresent: 2 })
      assert.equal(await adoptLegacyCredentials(contextOf(vault), holder, CLOB, 'test'), undefined)
      // A stale legacy copy (what the old importer wrote back) is dropped, audited, and the key stays revoked.
      const legacyCopy = await db().selectFrom('legacy_api_credentials').selectAll().where('user_id', '!=', user.id).executeTakeFirstOrThrow()
      await db().insertInto('legacy_api_credentials').values({ ...legacyCopy, user_id: user.id, api_key: withCreds.credentials!.apiKey }).execute()
      assert.equal(await adoptLegacyCredentials(contextOf(vault), holder, CLOB, 'test'), undefined)
      assert.equal((await db().selectFrom('clob_credentials').select('state').where('id', '=', adopted!.id).executeTakeFirstOrThrow()).state, 'revoked')
      assert.equal((await db().selectFrom('legacy_api_credentials').select('user_id').where('user_id', '=', user.id).execute()).length, 0)
      const discarded = await db().selectFrom('audit_log').select('details').where('action', '=', 'polymarket.credentials.discard-legacy').where('user_id', '=', user.id).execute()
      assert.deepEqual(discarded.map((d) => JSON.parse(d.details)), [{ reason: 'revoked' }])
      assert.equal((await vault.audit.verify()).ok, true)
    })
  })
}
