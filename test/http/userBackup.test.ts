import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, test } from 'node:test'
import { openShareFromX25519 } from '../../src/recovery/sealing/sealShareToX25519.ts'
import { userShareToText } from '../../src/recovery/shares/userShareCodec.ts'
import { createS3ShareStore } from '../../src/store/s3ShareStore.ts'
import { startLocalS3, type LocalS3 } from '../support/s3.ts'
import { startHarness, type Harness } from './httpHarness.ts'

const BUCKET = 'coffre-http-backups'
let s3: LocalS3
let h: Harness

before(async () => {
  s3 = await startLocalS3()
  await s3.createBucket(BUCKET, { objectLock: true })
  const store = createS3ShareStore({ client: s3.client, bucket: BUCKET, retentionDays: 1 })
  h = await startHarness({}, { vault: { backupObjectStore: async () => ({ bucket: BUCKET, store }) } })
})
after(async () => {
  await h?.close()
  await s3?.stop()
})

const post = (url: string, payload: object, headers: Record<string, string>) => h.app.inject({ method: 'POST', url, payload, headers })

test('POST /v1/users/{id}/backup returns share 3 sealed to the bot; /backup/restore restores from it and S3, refusing bad sets by name', async () => {
  const user = await h.test.vault.users.create({ telegramUserId: 31 })
  const { publicKey, privateKey } = generateKeyPairSync('x25519')
  const recipientPublicKey = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64')
  const audit = await h.auditCount()
  const created = await post(`/v1/users/${user.id}/backup`, { userShare: { recipientPublicKey } }, h.auth('export'))
  assert.equal(created.statusCode, 201, created.body)
  const backup = created.json()
  assert.equal(backup.sealedUserShare.format, 'coffre-share-hpke-v1')
  assert.deepEqual([backup.threshold, backup.shares, backup.objectShare.bucket], [2, 3, BUCKET])
  assert.ok((await h.auditCount()) >= audit + 2, 'key use and backup creation audited')
  const share = userShareToText(await openShareFromX25519(backup.sealedUserShare, new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32))))
  assert.ok(!created.body.includes(share.slice(6)), 'no share in the clear')

  const restored = await post(`/v1/users/${user.id}/backup/restore`, { shares: [share], useVaultShare: false }, h.auth('users:write'))
  assert.equal(restored.statusCode, 200, restored.body)
  assert.deepEqual(restored.json(), {
    userId: user.id,
    backupId: backup.backupId,
    threshold: 2,
    sharesUsed: [{ index: 3, source: 'supplied' }, { index: 2, source: 'object-storage' }],
    polygonAddress: user.polygonAddress,
    solanaAddress: user.solanaAddress,
    restored: true,
  })
  const duplicated = await post(`/v1/users/${user.id}/backup/restore`, { shares: [share, share], useVaultShare: false, useObjectShare: false }, h.auth('users:write'))
  assert.equal(duplicated.statusCode, 422)
  assert.equal(duplicated.json().error.code, 'COFFRE_SHARE_DUPLICATED')
  const tooFew = await post(`/v1/users/${user.id}/backup/restore`, { shares: [share], useVaultShare: false, useObjectShare: false }, h.auth('users:write'))
  assert.equal(tooFew.json().error.code, 'COFFRE_SHARES_TOO_FEW')
  const unknownField = await post(`/v1/users/${user.id}/backup/restore`, { shares: [share], entropy: 'x' }, h.auth('users:write'))
  assert.equal(unknownField.statusCode, 400)
  const both = await post(`/v1/users/${user.id}/backup`, { userShare: { recipientPublicKey, passphrase: 'correct horse battery staple' } }, h.auth('export'))
  assert.equal(both.statusCode, 400, 'exactly one way to seal share 3')
})

test('a passphrase-sealed share 3 over HTTP restores with the passphrase', async () => {
  const user = await h.test.vault.users.create({ telegramUserId: 32 })
  const passphrase = 'correct horse battery staple'
  const created = await post(`/v1/users/${user.id}/backup`, { userShare: { passphrase }, threshold: 2 }, h.auth('export'))
  assert.equal(created.statusCode, 201, created.body)
  const envelope = created.json().sealedUserShare
  assert.equal(envelope.format, 'coffre-share-scrypt-v1')
  const checked = await post(`/v1/users/${user.id}/backup/restore`, { passphraseShare: { envelope, passphrase }, useObjectShare: false, verifyOnly: true }, h.auth('users:write'))
  assert.equal(checked.statusCode, 200, checked.body)
  assert.deepEqual(checked.json().sharesUsed, [{ index: 3, source: 'passphrase' }, { index: 1, source: 'vault' }])
  assert.equal(checked.json().restored, false)
})

test('a backup is governed like an export: a token whose policy does not allow users.export gets 403 and nothing is split, stored or sealed', async () => {
  const user = await h.test.vault.users.create({ telegramUserId: 33 })
  await h.test.vault.policies.create({ name: 'signer-only', document: { rules: [{ id: 'messages', action: 'allow', operation: 'sign.evm-message', conditions: [] }] } })
  const { token } = await h.test.vault.tokens.create({ name: 'leaked-bot', scopes: ['export'], policy: 'signer-only' })
  const recipientPublicKey = generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64')
  const denied = await post(`/v1/users/${user.id}/backup`, { userShare: { recipientPublicKey } }, { authorization: `Bearer ${token}` })
  assert.equal(denied.statusCode, 403, denied.body)
  assert.equal(denied.json().error.code, 'COFFRE_POLICY_DENIED')
  assert.deepEqual(await h.test.vault.userBackups.list({ id: user.id }), [])
  const allowed = await post(`/v1/users/${user.id}/backup`, { userShare: { recipientPublicKey } }, h.auth('export'))
  assert.equal(allowed.statusCode, 201, allowed.body)
})
