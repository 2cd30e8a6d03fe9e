/**
 * Root-key providers through the vault and the CLI: a vault on pkcs11 (SoftHSM2) and on aws-kms
 * (moto) creates users, reopens, refuses a wrong root key; doctor reports the provider; and
 * `keys rotate-root` moves a vault local → pkcs11 → local, on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { RootKeyConfig } from '../../src/config.ts'
import { openVault } from '../../src/vault/openVault.ts'
import { coffreInProcess } from '../support/cliInProcess.ts'
import { ENGINES, createTestStore, type TestStore } from '../support/engines.ts'
import { startLocalKms, type LocalKms } from '../support/kms.ts'
import { startSoftHsm, type SoftHsm } from '../support/softhsm.ts'
import { contextOf } from '../../src/vault/internals.ts'

let hsm: SoftHsm
let kms: LocalKms
let otherToken: string
before(async () => {
  // Both are started before either failure is raised, so after() stops whichever did start
  // (a missing SoftHSM must not leave the local KMS running).
  const [hsmStart, kmsStart] = await Promise.allSettled([startSoftHsm(), startLocalKms()])
  if (hsmStart.status === 'fulfilled') hsm = hsmStart.value
  if (kmsStart.status === 'fulfilled') kms = kmsStart.value
  for (const start of [hsmStart, kmsStart]) if (start.status === 'rejected') throw start.reason
  otherToken = await hsm.addToken()
})
after(async () => {
  await kms?.stop()
  await hsm?.stop()
})

async function roundTrip(store: TestStore, rootKey: RootKeyConfig, wrongKey: RootKeyConfig, kind: string): Promise<void> {
  const config = { store: store.config, rootKey, mnemonicWords: 12 as const }
  const vault = await openVault(config)
  const created = await vault.users.create({ telegramUserId: 77 })
  const keyRef = contextOf(vault).keyring.provider.info.keyRef
  await vault.close()
  const reopened = await openVault(config)
  try {
    assert.equal((await reopened.users.get({ telegramUserId: 77 }))?.polygonAddress, created.polygonAddress)
    await reopened.sign.message({ telegramUserId: 77 }, { chain: 'solana', message: 'hi' })
    const report = await reopened.doctor()
    assert.equal(report.ok, true, JSON.stringify(report.checks))
    assert.match(report.checks.find((c) => c.name === 'key-provider')!.detail, new RegExp(`^kind=${kind} keyRef=${keyRef.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
    assert.equal((await reopened.keys.list())[0]!.provider.kind, kind)
  } finally {
    await reopened.close()
  }
  await assert.rejects(openVault({ ...config, rootKey: wrongKey }), { code: 'COFFRE_ROOT_KEY_INVALID' })
}

for (const engine of ENGINES) {
  describe(`root-key providers on ${engine}`, () => {
    let store: TestStore
    before(async () => {
      store = await createTestStore(engine)
    })
    after(() => store.cleanup())

    test('pkcs11: open, create, reopen; another token key is refused', async () => {
      const label = `root-${engine}`
      await roundTrip(
        store,
        { kind: 'pkcs11', module: hsm.module, tokenLabel: hsm.tokenLabel, keyLabel: label, pin: new TextEncoder().encode(hsm.pin), createKey: true },
        { kind: 'pkcs11', module: hsm.module, tokenLabel: otherToken, keyLabel: label, pin: new TextEncoder().encode(hsm.pin), createKey: true },
        'pkcs11',
      )
    })

    test('aws-kms: open, create, reopen; another KMS key is refused', async () => {
      const fresh = await createTestStore(engine)
      try {
        const [keyId, otherId] = await Promise.all([kms.createKey(), kms.createKey()])
        process.env.AWS_ACCESS_KEY_ID ??= kms.credentials.accessKeyId
        process.env.AWS_SECRET_ACCESS_KEY ??= kms.credentials.secretAccessKey
        await roundTrip(fresh, { kind: 'aws-kms', keyId, region: kms.region, endpoint: kms.endpoint }, { kind: 'aws-kms', keyId: otherId, region: kms.region, endpoint: kms.endpoint }, 'aws-kms')
      } finally {
        await fresh.cleanup()
      }
    })

    test('keys rotate-root local → pkcs11 → local through the CLI; each time only the new root key opens the vault', async () => {
      const fresh = await createTestStore(engine)
      try {
        const where = fresh.config.kind === 'postgres' ? ['--database-url', fresh.config.url] : ['--data-dir', fresh.dir]
        const env = { COFFRE_MASTER_KEY: undefined, ...hsm.env }
        const pinFile = join(fresh.dir, 'pin')
        writeFileSync(pinFile, `${hsm.pin}\n`, { mode: 0o600 })
        const localKey = join(fresh.dir, 'first.key')
        const cli = (args: string[]) => coffreInProcess([...where, ...args], env)
        assert.equal((await cli(['--key-file', localKey, 'init'])).code, 0)
        assert.equal((await cli(['--key-file', localKey, 'users', 'create', '--telegram-id', '5'])).code, 0)
        const hsmFlags = ['--pkcs11-module', hsm.module, '--pkcs11-token', hsm.tokenLabel, '--pkcs11-key-label', `migrated-${engine}`, '--pkcs11-pin-file', pinFile]
        const toHsm = await cli(['--key-file', localKey, 'keys', 'rotate-root', '--to', 'pkcs11', ...hsmFlags.map((f) => f.replace(/^--pkcs11/, '--to-pkcs11')), '--json'])
        assert.equal(toHsm.code, 0, toHsm.stderr)
        assert.equal(toHsm.json.to.kind, 'pkcs11')
        assert.match((await cli(['--key-file', localKey, 'doctor'])).stderr, /COFFRE_ROOT_KEY_INVALID/)
        const onHsm = await cli(['--key-provider', 'pkcs11', ...hsmFlags, 'doctor', '--json'])
        assert.equal(onHsm.json.ok, true, JSON.stringify(onHsm.json?.checks ?? onHsm.stderr))
        const split = await cli(['--key-provider', 'pkcs11', ...hsmFlags, 'backup', 'split', '--shares', '3', '--threshold', '2', '--json'])
        assert.equal(split.code, 0, split.stderr)
        assert.match(split.json.recoveryKeyRef, /^local:/)
        const backLocal = join(fresh.dir, 'back.key')
        const toLocal = await cli(['--key-provider', 'pkcs11', ...hsmFlags, 'keys', 'rotate-root', '--to', 'local', '--to-key-file', backLocal, '--json'])
        assert.equal(toLocal.code, 0, toLocal.stderr)
        assert.match((await cli(['--key-provider', 'pkcs11', ...hsmFlags, 'doctor'])).stderr, /COFFRE_ROOT_KEY_INVALID/)
        const final = await cli(['--key-file', backLocal, 'doctor', '--json'])
        assert.equal(final.json.ok, true)
        const audit = await cli(['--key-file', backLocal, 'keys', 'status', '--json'])
        assert.equal(audit.json.provider.kind, 'local')
      } finally {
        await fresh.cleanup()
      }
    })
  })
}

