import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { Keyring } from '../../../src/vault/keyring/keyring.ts'
import { openLocalKeyProvider } from '../../../src/keyProviders/local.ts'
import { classifyWalletKey } from '../../../src/ops/legacyImport/classifyWalletKey.ts'
import { sealLegacyValue } from '../../../src/ops/legacyImport/legacyCipher.ts'
import { openStore } from '../../../src/store/openStore.ts'
import { secretPlace } from '../../../src/store/secretColumns.ts'
import { base58 } from '@scure/base'
import { coffreInProcess } from '../../support/cliInProcess.ts'
import { ENGINES, createTestStore, type TestStore } from '../../support/engines.ts'
import { createTestDatabase } from '../../support/postgres.ts'
import { createLegacyDatabase, sourceDigest, type LegacyCase } from '../../ops/legacyImport/legacyFixtures.ts'
import { createDataKeyStore } from '../../../src/store/dataKeyStore.ts'

test('a base58 Solana key that happens to be valid base64 is not called encrypted: it must authenticate', () => {
  const legacyKey = new Uint8Array(randomBytes(32))
  const seed = new Uint8Array(randomBytes(32))
  const text = base58.encode(seed)
  const result = classifyWalletKey('solana', text, 'So11111111111111111111111111111111111111112', legacyKey)
  assert.equal(result.ok, false, 'a seed that does not derive the stored address is quarantined')
  const other = classifyWalletKey('polygon', sealLegacyValue(new Uint8Array(randomBytes(32)), '0x' + '11'.repeat(32)), '0x' + '22'.repeat(20), legacyKey)
  assert.deepEqual(other, { ok: false, reason: 'does not authenticate with the legacy key (encrypted under another key, or corrupted)' })
})

for (const engine of ENGINES) {
  describe(`coffre import legacy into a ${engine} vault`, () => {
    let vaultStore: TestStore
    let source: { url: string; drop(): Promise<void> }
    let cases: LegacyCase[]
    let keyFile: string
    const rootKey = randomBytes(32)
    const env = { COFFRE_MASTER_KEY: rootKey.toString('base64') }
    const coffre = (args: string[]) =>
      coffreInProcess([...(vaultStore.config.kind === 'postgres' ? ['--database-url', vaultStore.config.url] : ['--data-dir', vaultStore.dir]), ...args], env)

    before(async () => {
      vaultStore = await createTestStore(engine)
      source = await createTestDatabase()
      const legacyKey = new Uint8Array(randomBytes(32))
      cases = await createLegacyDatabase(source.url, legacyKey, 12)
      keyFile = join(vaultStore.dir, 'legacy.key')
      writeFileSync(keyFile, `${Buffer.from(legacyKey).toString('base64')}\n`, { mode: 0o600 })
    })
    after(async () => {
      await source.drop()
      await vaultStore.cleanup()
    })

    test('--dry-run classifies every value and writes nothing', async () => {
      const digest = await sourceDigest(source.url)
      const dry = await coffre(['import', 'legacy', '--from', source.url, '--legacy-key-file', keyFile, '--dry-run', '--json'])
      assert.equal(dry.code, 0, dry.stderr)
      assert.equal(dry.json.dryRun, true)
      assert.equal(dry.json.imported, cases.filter((c) => c.expect === 'import').length)
      const users = await coffre(['users', 'list', '--json'])
      assert.equal(users.json.users.length, 0)
      assert.equal(await sourceDigest(source.url), digest)
    })

    test('the real run imports, verifies and reports; quarantines with reasons; API credentials come along encrypted', async () => {
      const digest = await sourceDigest(source.url)
      const run = await coffre(['import', 'legacy', '--from', source.url, '--legacy-key-file', keyFile, '--batch-size', '5', '--json'])
      assert.equal(run.code, 0, run.stderr)
      const report = run.json
      assert.equal(report.scanned, cases.length)
      assert.equal(report.imported, cases.filter((c) => c.expect === 'import').length)
      assert.equal(report.alreadyPresent, 0)
      assert.equal(report.quarantinedUsers, cases.filter((c) => c.expect === 'quarantine').length)
      for (const c of cases.filter((c) => c.quarantinedField)) {
        assert.ok(report.quarantined.some((q: { telegramUserId: string; field: string }) => q.telegramUserId === String(c.telegramUserId) && q.field === c.quarantinedField), `user ${c.telegramUserId}`)
      }
      assert.match(JSON.stringify(report.quarantined), /does not authenticate with the legacy key/)
      assert.match(JSON.stringify(report.quarantined), /neither legacy-encrypted nor a recognised plaintext key/)
      assert.match(JSON.stringify(report.quarantined), /does not derive the stored address/)
      assert.deepEqual(report.apiCredentials, { imported: 2, quarantined: 1, alreadyPresent: 0 })
      for (const format of ['polygon:plaintext:hex-0x', 'polygon:plaintext:hex', 'polygon:legacy-encrypted:hex-0x', 'solana:plaintext:base58-keypair', 'solana:plaintext:base58-seed', 'solana:legacy-encrypted:base58-keypair', 'solana:plaintext:json-array']) {
        assert.ok(report.formats[format] > 0, format)
      }
      assert.equal(await sourceDigest(source.url), digest, 'the source is never modified')

      const shown = await coffre(['users', 'show', '--telegram-id', '3', '--json'])
      assert.equal(shown.json.origin, 'legacy')
      assert.equal(shown.json.hasMnemonic, false)
      const doctor = await coffre(['doctor', '--json'])
      assert.equal(doctor.json.ok, true, JSON.stringify(doctor.json.checks))

      // Credentials are stored encrypted at their place and decrypt to the source values.
      const store = await openStore(vaultStore.config)
      const keyring = await Keyring.open(createDataKeyStore(store.db), openLocalKeyProvider({ key: new Uint8Array(rootKey) }))
      try {
        const rows = await store.db.selectFrom('legacy_api_credentials').selectAll().execute()
        assert.equal(rows.length, 2)
        for (const row of rows) {
          assert.match(row.secret_ciphertext, /^cf1\./)
          const secret = await keyring.decrypt(row.secret_ciphertext, secretPlace('legacy_api_credentials', 'secret_ciphertext', row))
          assert.equal(Buffer.from(secret).length, 43)
        }
        const quarantine = await store.db.selectFrom('legacy_import_quarantine').selectAll().execute()
        assert.equal(quarantine.length, report.quarantined.length)
        assert.ok(quarantine.every((q) => !q.reason.includes('0x')))
      } finally {
        await keyring.close()
        await store.close()
      }
    })

    test('running it again is idempotent: everything already present, nothing new', async () => {
      const again = await coffre(['import', 'legacy', '--from', source.url, '--legacy-key-file', keyFile, '--json'])
      assert.equal(again.code, 0, again.stderr)
      assert.equal(again.json.imported, 0)
      assert.equal(again.json.alreadyPresent, cases.filter((c) => c.expect === 'import').length)
      assert.equal(again.json.apiCredentials.imported, 0)
    })
  })
}
