/**
 * A secret that does not decrypt (a ciphertext modified in the database) is refused AND audited —
 * signing, export, doctor and rotation each leave a `secret.decrypt-failed` entry naming the user,
 * the field, the data key and the error code, never the value. Both engines.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ENGINES } from '../support/engines.ts'
import { openTestVault, type TestVault } from '../support/vault.ts'
import { contextOf } from '../../src/vault/internals.ts'

for (const engine of ENGINES) {
  describe(`failed decrypts are audited on ${engine}`, () => {
    let t: TestVault
    let userId: string
    let ciphertext: string
    const db = () => contextOf(t.vault).store.db
    const failures = async () =>
      (await db().selectFrom('audit_log').select(['actor', 'user_id', 'subject', 'details']).where('action', '=', 'secret.decrypt-failed').orderBy('seq').execute()).map((e) => ({ ...e, details: JSON.parse(e.details) }))

    before(async () => {
      t = await openTestVault(engine)
      const [victim] = await t.vault.users.ensureMany([{ telegramUserId: 71 }, { telegramUserId: 72 }])
      userId = victim!.user.id
      const row = await db().selectFrom('wallets').select('private_key_ciphertext').where('user_id', '=', userId).where('chain', '=', 'polygon').executeTakeFirstOrThrow()
      ciphertext = row.private_key_ciphertext
      // A database writer flips one character of the sealed body.
      const body = ciphertext.slice(ciphertext.lastIndexOf('.') + 1)
      const flipped = `${ciphertext.slice(0, ciphertext.lastIndexOf('.') + 1)}${body[0] === 'A' ? 'B' : 'A'}${body.slice(1)}`
      await db().updateTable('wallets').set({ private_key_ciphertext: flipped }).where('user_id', '=', userId).where('chain', '=', 'polygon').execute()
    })
    after(async () => t.cleanup())

    test('signing and export refuse with COFFRE_DECRYPT_FAILED and leave an audit entry without the value', async () => {
      await assert.rejects(t.vault.sign.message({ id: userId }, { chain: 'polygon', message: 'hi' }, { actor: 'bot' }), { code: 'COFFRE_DECRYPT_FAILED' })
      await assert.rejects(t.vault.users.export({ id: userId }, { actor: 'ops' }), { code: 'COFFRE_DECRYPT_FAILED' })
      const dataKeyId = ciphertext.split('.')[1]
      assert.deepEqual(await failures(), [
        { actor: 'bot', user_id: userId, subject: 'wallets.private_key_ciphertext', details: { code: 'COFFRE_DECRYPT_FAILED', dataKeyId, purpose: 'sign.message' } },
        { actor: 'ops', user_id: userId, subject: 'wallets.private_key_ciphertext', details: { code: 'COFFRE_DECRYPT_FAILED', dataKeyId, purpose: 'export' } },
      ])
      const text = JSON.stringify(await db().selectFrom('audit_log').selectAll().execute())
      assert.ok(!text.includes(ciphertext.split('.')[2]!.slice(0, 24)), 'no ciphertext in the audit trail')
    })

    test('doctor and a rotation that meet it audit it too; the rotation leaves that secret where it is', async () => {
      const before = (await failures()).length
      const report = await t.vault.doctor({ actor: 'doctor-run', scheduler: false })
      assert.equal(report.checks.find((c) => c.name === 'secrets')?.ok, false)
      const rotation = await t.vault.keys.rotateData({ actor: 'rotator' })
      assert.equal(rotation.failures.length, 1)
      assert.match(rotation.failures[0]!, /^wallets\.private_key_ciphertext .*: COFFRE_DECRYPT_FAILED$/)
      const added = (await failures()).slice(before)
      assert.ok(added.some((e) => e.actor === 'doctor-run' && e.details.purpose === 'doctor' && e.user_id === userId))
      assert.ok(added.some((e) => e.actor === 'rotator' && e.details.purpose === 'rotation' && e.user_id === userId && e.subject === 'wallets.private_key_ciphertext'))
      assert.equal((await t.vault.audit.verify()).ok, true)
    })
  })
}
