/**
 * Recovery key for a vault whose root key lives in an HSM (SoftHSM2), on SQLite and PostgreSQL:
 * `backup split` makes and splits a recovery key; after "losing the HSM" the restored key file opens
 * the vault, every user's secrets decrypt and sign, and `keys rotate-root` makes it a primary root key
 * again. Wrong, mixed, too few and superseded shares are refused; a data-key rotation leaves the new
 * key without a recovery wrap, which doctor reports until split is run again.
 */
import assert from 'node:assert/strict'
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { RootKeyConfig } from '../../../src/config.ts'
import { openVault } from '../../../src/vault/openVault.ts'
import { coffreInProcess } from '../../support/cliInProcess.ts'
import { ENGINES, createTestStore, type TestStore } from '../../support/engines.ts'
import { startSoftHsm, type SoftHsm } from '../../support/softhsm.ts'
import { contextOf } from '../../../src/vault/internals.ts'

let hsm: SoftHsm
before(async () => {
  hsm = await startSoftHsm()
})
after(() => hsm.stop())

type Check = { name: string; ok: boolean; detail: string }
const check = (checks: readonly Check[], name: string) => checks.find((c) => c.name === name)!

for (const engine of ENGINES) {
  describe(`recovery key of a pkcs11 vault on ${engine}`, () => {
    let store: TestStore
    before(async () => {
      store = await createTestStore(engine)
    })
    after(() => store.cleanup())

    test('split → lose the HSM → restore → the recovery key opens the vault, decrypts and signs → rotate-root', async () => {
      const label = `recovery-${engine}`
      const pin = new TextEncoder().encode(hsm.pin)
      const onHsm: RootKeyConfig = { kind: 'pkcs11', module: hsm.module, tokenLabel: hsm.tokenLabel, keyLabel: label, pin, createKey: true }
      const config = { store: store.config, mnemonicWords: 12 as const }
      const telegramIds = [11, 12, 13]
      const vault = await openVault({ ...config, rootKey: onHsm })
      const addresses = new Map<number, string>()
      try {
        for (const id of telegramIds) addresses.set(id, (await vault.users.create({ telegramUserId: id })).polygonAddress)
      } finally {
        await vault.close()
      }

      const where = store.config.kind === 'postgres' ? ['--database-url', store.config.url] : ['--data-dir', store.dir]
      const pinFile = join(store.dir, 'pin')
      writeFileSync(pinFile, `${hsm.pin}\n`, { mode: 0o600 })
      const hsmFlags = ['--key-provider', 'pkcs11', '--pkcs11-module', hsm.module, '--pkcs11-token', hsm.tokenLabel, '--pkcs11-key-label', label, '--pkcs11-pin-file', pinFile]
      const cli = (args: string[]) => coffreInProcess([...where, ...args], { COFFRE_MASTER_KEY: undefined, ...hsm.env })
      const file = (name: string, shares: readonly string[]) => {
        writeFileSync(join(store.dir, name), shares.join('\n'))
        return join(store.dir, name)
      }
      const restore = (name: string, shares: readonly string[]) => cli(['backup', 'restore', '--share-file', file(`${name}.shares`, shares), '--out', join(store.dir, `${name}.key`), '--json'])
      const assertRefused = async (name: string, shares: readonly string[]) => {
        const result = await restore(name, shares)
        assert.equal(result.code, 1, name)
        assert.match(result.stderr, /COFFRE_BACKUP_INVALID/, `${name}: ${result.stderr}`)
        assert.throws(() => statSync(join(store.dir, `${name}.key`)), `${name}: no key file written`)
      }

      const first = await cli([...hsmFlags, 'backup', 'split', '--shares', '3', '--threshold', '2', '--json'])
      assert.equal(first.code, 0, first.stderr)
      assert.equal(first.json.shares.length, 3)
      assert.match(first.json.recoveryKeyRef, /^local:/)
      const doctorFirst = await cli([...hsmFlags, 'doctor', '--json'])
      assert.equal(doctorFirst.json.ok, true, doctorFirst.stdout)

      // A data-key rotation: the new key has no recovery wrap until split runs again.
      const rotating = await openVault({ ...config, rootKey: onHsm })
      let newKeyId: string
      try {
        newKeyId = await contextOf(rotating).keyring.rotateActiveDataKey()
        const report = await rotating.doctor({ secrets: false, scheduler: false })
        assert.equal(report.ok, false)
        assert.equal(check(report.checks, 'recovery-key').detail, `data key ${newKeyId} has no recovery wrap; run coffre backup split again`)
      } finally {
        await rotating.close()
      }
      await assertRefused('before-resplit', first.json.shares.slice(0, 2))

      const second = await cli([...hsmFlags, 'backup', 'split', '--shares', '3', '--threshold', '2', '--json'])
      assert.equal(second.code, 0, second.stderr)
      assert.notEqual(second.json.recoveryKeyRef, first.json.recoveryKeyRef)
      const doctorSecond = await cli([...hsmFlags, 'doctor', '--json'])
      assert.equal(doctorSecond.json.ok, true, doctorSecond.stdout)
      assert.match(check(doctorSecond.json.checks, 'recovery-key').detail, /wraps all 2 data keys/)

      await assertRefused('superseded', first.json.shares.slice(1, 3))
      await assertRefused('too-few', second.json.shares.slice(0, 1))
      await assertRefused('mixed', [second.json.shares[0], first.json.shares[1]])
      await assertRefused('tampered', [second.json.shares[0].replace(/-([0-9A-Z])([0-9A-Z]{5})-/, (_m: string, c: string, rest: string) => `-${c === 'A' ? 'B' : 'A'}${rest}-`), second.json.shares[2]])

      const restored = await restore('recovery', [second.json.shares[2], second.json.shares[0]])
      assert.equal(restored.code, 0, restored.stderr)
      assert.equal(restored.json.recoveryKeyRef, second.json.recoveryKeyRef)
      assert.match(restored.json.next, /keys rotate-root --to/)
      const recoveryFile = join(store.dir, 'recovery.key')
      assert.equal(statSync(recoveryFile).mode & 0o777, 0o600)

      // The HSM is gone: only the restored key file opens the vault.
      const recovered = await openVault({ ...config, rootKey: { kind: 'local', keyFile: recoveryFile } })
      try {
        const report = await recovered.doctor()
        assert.equal(report.ok, true, JSON.stringify(report.checks))
        assert.match(check(report.checks, 'key-provider').detail, new RegExp(`keyRef=${second.json.recoveryKeyRef}`))
        for (const id of telegramIds) {
          assert.equal((await recovered.users.get({ telegramUserId: id }))?.polygonAddress, addresses.get(id))
          assert.equal((await recovered.sign.message({ telegramUserId: id }, { chain: 'polygon', message: 'recovered' })).address, addresses.get(id))
          await recovered.sign.message({ telegramUserId: id }, { chain: 'solana', message: 'recovered' })
        }
      } finally {
        await recovered.close()
      }

      // Back to a primary root key: rotate-root from the recovery key rewraps every data key.
      const primary = join(store.dir, 'primary.key')
      const rotated = await cli(['--key-file', recoveryFile, 'keys', 'rotate-root', '--to', 'local', '--to-key-file', primary, '--json'])
      assert.equal(rotated.code, 0, rotated.stderr)
      const final = await cli(['--key-file', primary, 'doctor', '--json'])
      assert.equal(final.json.ok, true, final.stdout)
    })
  })
}
