import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { base58 } from '@scure/base'
import { privateKeyToAccount } from 'viem/accounts'
import { contextOf } from '../../../src/vault/internals.ts'
import { openShareFromX25519, type HpkeSealedShare } from '../../../src/recovery/sealing/sealShareToX25519.ts'
import { userShareToText } from '../../../src/recovery/shares/userShareCodec.ts'
import { createS3ShareStore } from '../../../src/store/s3ShareStore.ts'
import type { BackupObjectStoreSource } from '../../../src/vault/userBackup/backupPlacement.ts'
import { ENGINES } from '../../support/engines.ts'
import { refusal } from '../../support/refusal.ts'
import { startLocalS3, type LocalS3 } from '../../support/s3.ts'
import { openTestVault, type TestVault } from '../../support/vault.ts'

const BUCKET = 'coffre-user-backups'
let s3: LocalS3
let objects: BackupObjectStoreSource

before(async () => {
  s3 = await startLocalS3()
  await s3.createBucket(BUCKET, { objectLock: true })
  const store = createS3ShareStore({ client: s3.client, bucket: BUCKET, retentionDays: 30 })
  objects = async () => ({ bucket: BUCKET, store })
})
after(async () => s3?.stop())

function x25519() {
  const { publicKey, privateKey } = generateKeyPairSync('x25519')
  return {
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64'),
    privateKey: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32)),
  }
}

const db = (t: TestVault) => contextOf(t.vault).store.db

async function auditOf(t: TestVault, action: string) {
  const rows = await db(t).selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute()
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }))
}

async function walletCiphertexts(t: TestVault, userId: string) {
  const user = await db(t).selectFrom('users').select('mnemonic_ciphertext').where('id', '=', userId).executeTakeFirstOrThrow()
  const wallets = await db(t).selectFrom('wallets').select(['chain', 'private_key_ciphertext']).where('user_id', '=', userId).orderBy('chain').execute()
  return { mnemonic: user.mnemonic_ciphertext, wallets }
}

for (const engine of ENGINES) {
  describe(`user backups on ${engine} with moto S3`, () => {
    let t: TestVault
    before(async () => {
      t = await openTestVault(engine, {}, { backupObjectStore: objects })
    })
    after(async () => t?.cleanup())

    test('create splits 2-of-3: share 1 sealed in the vault, share 2 locked in S3, share 3 HPKE-sealed to the bot; audited', async () => {
      const user = await t.vault.users.create({ telegramUserId: 1001 })
      const bot = x25519()
      const keyUses = (await auditOf(t, 'key.use')).length
      const backup = await t.vault.userBackups.create({ id: user.id }, { userShare: { recipientPublicKey: bot.publicKey } }, { actor: 'test' })
      assert.equal(backup.threshold, 2)
      assert.equal(backup.shares, 3)
      assert.deepEqual([backup.vaultShare.index, backup.objectShare.index, backup.userShare.index], [1, 2, 3])
      assert.equal(backup.objectShare.bucket, BUCKET)
      assert.ok(!backup.objectShare.key.includes(user.id), 'the object key names no user')
      assert.ok(backup.objectShare.lockedUntil !== null, 'the bucket has object lock: the share is locked')
      // The entropy went through the key-use path (one audited key.use with purpose backup), and the create is audited.
      const uses = (await auditOf(t, 'key.use')).slice(keyUses)
      assert.deepEqual(uses.map((u) => [u.subject, u.details.purpose, u.details.outcome]), [['mnemonic', 'backup', 'ok']])
      const created = (await auditOf(t, 'user.backup.create')).at(-1)
      assert.equal(created?.subject, `backup:${backup.backupId}`)
      assert.equal(created?.actor, 'test')
      // Share 3 opens with the bot's key only; the row holds no plaintext share.
      const sealed = backup.sealedUserShare as HpkeSealedShare
      assert.equal(sealed.format, 'coffre-share-hpke-v1')
      assert.equal(sealed.index, 3)
      const share3 = await openShareFromX25519(sealed, bot.privateKey)
      const row = await db(t).selectFrom('user_backups').selectAll().where('id', '=', backup.backupId).executeTakeFirstOrThrow()
      assert.match(row.vault_share_ciphertext, /^cf1\./)
      assert.ok(!JSON.stringify(row).includes(userShareToText(share3).slice(6)))
      assert.deepEqual(await t.vault.userBackups.list({ id: user.id }), [{ ...backup, sealedUserShare: undefined }].map(({ sealedUserShare: _, ...rest }) => rest))
    })

    test('any two shares restore the same addresses; a lost wallet is re-sealed from the user share and S3 alone', async () => {
      const user = await t.vault.users.create({ telegramUserId: 1002 })
      const before = await t.vault.users.export({ id: user.id })
      const bot = x25519()
      const backup = await t.vault.userBackups.create({ id: user.id }, { userShare: { recipientPublicKey: bot.publicKey } })
      const share3 = userShareToText(await openShareFromX25519(backup.sealedUserShare as HpkeSealedShare, bot.privateKey))
      const pairs = [
        [{ shares: [], useVaultShare: true, useObjectShare: true }, [[1, 'vault'], [2, 'object-storage']]],
        [{ shares: [share3], useObjectShare: false }, [[3, 'supplied'], [1, 'vault']]],
        [{ shares: [share3], useVaultShare: false }, [[3, 'supplied'], [2, 'object-storage']]],
      ] as const
      const untouched = await walletCiphertexts(t, user.id)
      for (const [sources, used] of pairs) {
        const checked = await t.vault.userBackups.restore({ id: user.id }, { ...sources, verifyOnly: true })
        assert.deepEqual(checked.sharesUsed.map((s) => [s.index, s.source]), used)
        assert.equal(checked.polygonAddress, user.polygonAddress)
        assert.equal(checked.solanaAddress, user.solanaAddress)
        assert.equal(checked.restored, false)
      }
      assert.deepEqual(await walletCiphertexts(t, user.id), untouched, 'verifyOnly writes no secret')

      // The vault's copies are destroyed (a database writer without the root key can do this much).
      const garbage = untouched.wallets[0]!.private_key_ciphertext.replace(/.{8}$/, 'AAAAAAAA')
      await db(t).updateTable('wallets').set({ private_key_ciphertext: garbage }).where('user_id', '=', user.id).execute()
      await db(t).updateTable('users').set({ mnemonic_ciphertext: garbage }).where('id', '=', user.id).execute()
      contextOf(t.vault).rowCache.clear()
      assert.equal((await refusal(t.vault.sign.message({ id: user.id }, { chain: 'polygon', message: 'hi' }))).code, 'COFFRE_DECRYPT_FAILED')

      const restored = await t.vault.userBackups.restore({ id: user.id }, { backupId: backup.backupId, shares: [share3], useVaultShare: false }, { actor: 'test' })
      assert.equal(restored.restored, true)
      const after = await t.vault.users.export({ id: user.id })
      assert.equal(after.mnemonic, before.mnemonic)
      assert.equal(after.polygonPrivateKey, before.polygonPrivateKey)
      assert.equal(after.solanaSecretKey, before.solanaSecretKey)
      const signature = await t.vault.sign.message({ id: user.id }, { chain: 'polygon', message: 'hi' })
      assert.equal(signature.signature, await privateKeyToAccount(before.polygonPrivateKey as `0x${string}`).signMessage({ message: 'hi' }))
      const audit = (await auditOf(t, 'user.backup.restore')).at(-1)
      assert.deepEqual([audit?.actor, audit?.details.outcome, audit?.details.shares], ['test', 'ok', '3:supplied,2:object-storage'])
    })

    test('too few, duplicated, corrupted, mixed and wrong shares are each refused by name, audited, and write nothing', async () => {
      const user = await t.vault.users.create({ telegramUserId: 1003 })
      const other = await t.vault.users.create({ telegramUserId: 1004 })
      const bot = x25519()
      const open = async (b: { sealedUserShare: unknown }) => userShareToText(await openShareFromX25519(b.sealedUserShare as HpkeSealedShare, bot.privateKey))
      const first = await t.vault.userBackups.create({ id: user.id }, { userShare: { recipientPublicKey: bot.publicKey } })
      const second = await t.vault.userBackups.create({ id: user.id }, { userShare: { recipientPublicKey: bot.publicKey } })
      const foreign = await t.vault.userBackups.create({ id: other.id }, { userShare: { recipientPublicKey: bot.publicKey } })
      const share3 = await open(first)
      const foreignObjectShare = await (await objects()).store.get({ backupId: foreign.backupId, index: 2 })
      const bytes = Buffer.from(share3.slice(6), 'base64url')
      bytes[30] = (bytes[30] ?? 0) ^ 1
      const corrupted = `cfus1.${bytes.toString('base64url')}`
      const untouched = await walletCiphertexts(t, user.id)
      const refusedBefore = (await auditOf(t, 'user.backup.restore')).length
      const onFirst = { backupId: first.backupId }
      const cases: [string, object, string][] = [
        ['one share', { ...onFirst, shares: [share3], useVaultShare: false, useObjectShare: false }, 'COFFRE_SHARES_TOO_FEW'],
        ['no share', { ...onFirst, useVaultShare: false, useObjectShare: false }, 'COFFRE_SHARES_TOO_FEW'],
        ['the same share twice', { ...onFirst, shares: [share3, share3], useVaultShare: false, useObjectShare: false }, 'COFFRE_SHARE_DUPLICATED'],
        ['a corrupted share', { ...onFirst, shares: [corrupted], useVaultShare: false }, 'COFFRE_SHARE_CORRUPTED'],
        ['not a share', { ...onFirst, shares: ['cfus1.AAAA'], useVaultShare: false }, 'COFFRE_SHARE_MALFORMED'],
        ['shares of two backups', { ...onFirst, shares: [await open(second)], useVaultShare: false }, 'COFFRE_SHARES_MIXED'],
        ['another user\'s shares', { ...onFirst, shares: [await open(foreign), userShareToText(foreignObjectShare)], useVaultShare: false, useObjectShare: false }, 'COFFRE_SHARES_WRONG'],
      ]
      for (const [name, input, code] of cases) {
        assert.equal((await refusal(t.vault.userBackups.restore({ id: user.id }, input))).code, code, name)
      }
      assert.deepEqual(await walletCiphertexts(t, user.id), untouched, 'nothing was written')
      const refused = (await auditOf(t, 'user.backup.restore')).slice(refusedBefore)
      assert.deepEqual(refused.map((r) => r.details.code), cases.map(([, , code]) => code), 'each refusal is audited with its code')
      assert.ok(refused.every((r) => r.details.outcome === 'refused' && r.subject === `backup:${first.backupId}`))
      assert.equal((await refusal(t.vault.userBackups.restore({ id: user.id }, { backupId: foreign.backupId }))).code, 'COFFRE_NOT_FOUND', 'another user\'s backup id is not this user\'s')
    })

    test('shares that restore a wallet other than the stored one are refused before anything is written', async () => {
      const user = await t.vault.users.create({ telegramUserId: 1005 })
      await t.vault.userBackups.create({ id: user.id }, { userShare: { recipientPublicKey: x25519().publicKey } })
      // The stored Polygon address no longer matches the wallet the shares rebuild (a backup of another
      // wallet). The row is re-authenticated with the vault's own MAC key, as only Coffre could: a
      // writer without it is stopped earlier, by COFFRE_INTEGRITY_FAILED (test/vault/integrity).
      const row = await db(t).selectFrom('wallets').selectAll().where('user_id', '=', user.id).where('chain', '=', 'polygon').executeTakeFirstOrThrow()
      const address = '0x000000000000000000000000000000000000dEaD'
      const rowMac = contextOf(t.vault).integrity.macOf('wallets', { ...row, address })
      await db(t).updateTable('wallets').set({ address, row_mac: rowMac }).where('user_id', '=', user.id).where('chain', '=', 'polygon').execute()
      contextOf(t.vault).rowCache.clear()
      const untouched = await walletCiphertexts(t, user.id)
      const refused = await refusal(t.vault.userBackups.restore({ id: user.id }, {}))
      assert.equal(refused.code, 'COFFRE_ADDRESS_MISMATCH')
      assert.equal(refused.details.chain, 'polygon')
      assert.deepEqual(await walletCiphertexts(t, user.id), untouched)
      assert.equal((await auditOf(t, 'user.backup.restore')).at(-1)?.details.code, 'COFFRE_ADDRESS_MISMATCH')
    })

    test('a passphrase-sealed user share restores with its passphrase and refuses a wrong one', async () => {
      const user = await t.vault.users.create({ telegramUserId: 1006 })
      const passphrase = 'correct horse battery staple'
      assert.equal((await refusal(t.vault.userBackups.create({ id: user.id }, { userShare: { passphrase: 'short' } }))).code, 'COFFRE_INVALID_INPUT')
      const backup = await t.vault.userBackups.create({ id: user.id }, { userShare: { passphrase } })
      assert.equal(backup.sealedUserShare.format, 'coffre-share-scrypt-v1')
      const envelope = backup.sealedUserShare as never
      const restored = await t.vault.userBackups.restore({ id: user.id }, { passphraseShare: { envelope, passphrase }, useVaultShare: false })
      assert.deepEqual(restored.sharesUsed.map((s) => s.source), ['passphrase', 'object-storage'])
      assert.equal((await refusal(t.vault.userBackups.restore({ id: user.id }, { passphraseShare: { envelope, passphrase: 'wrong horse battery staple' }, useVaultShare: false }))).code, 'COFFRE_DECRYPT_FAILED')
    })

    test('data-key rotation re-encrypts the vault share (a registered secret column); the backup still restores', async () => {
      const user = await t.vault.users.create({ telegramUserId: 1009 })
      const backup = await t.vault.userBackups.create({ id: user.id }, { userShare: { recipientPublicKey: x25519().publicKey } })
      const before = await db(t).selectFrom('user_backups').select('vault_share_ciphertext').where('id', '=', backup.backupId).executeTakeFirstOrThrow()
      const rotated = await t.vault.keys.rotateData()
      const after = await db(t).selectFrom('user_backups').select('vault_share_ciphertext').where('id', '=', backup.backupId).executeTakeFirstOrThrow()
      assert.ok(after.vault_share_ciphertext.startsWith(`cf1.${rotated.newDataKeyId}.`), 'the vault share is under the new data key')
      assert.notEqual(after.vault_share_ciphertext, before.vault_share_ciphertext)
      const checked = await t.vault.userBackups.restore({ id: user.id }, { verifyOnly: true })
      assert.deepEqual(checked.sharesUsed.map((s) => s.source), ['vault', 'object-storage'])
      // Moved to another backup's row, the ciphertext does not open (bound to backup id and user).
      const other = await t.vault.userBackups.create({ id: user.id }, { userShare: { recipientPublicKey: x25519().publicKey } })
      await db(t).updateTable('user_backups').set({ vault_share_ciphertext: after.vault_share_ciphertext }).where('id', '=', other.backupId).execute()
      assert.equal((await refusal(t.vault.userBackups.restore({ id: user.id }, { backupId: other.backupId, useObjectShare: true }))).code, 'COFFRE_DECRYPT_FAILED')
    })

    test('a 3-of-3 backup needs all three; bad inputs refuse before the key is used', async () => {
      const user = await t.vault.users.create({ telegramUserId: 1007 })
      const bot = x25519()
      const backup = await t.vault.userBackups.create({ id: user.id }, { userShare: { recipientPublicKey: bot.publicKey }, threshold: 3 })
      assert.equal((await refusal(t.vault.userBackups.restore({ id: user.id }, {}))).code, 'COFFRE_SHARES_TOO_FEW')
      const share3 = userShareToText(await openShareFromX25519(backup.sealedUserShare as HpkeSealedShare, bot.privateKey))
      assert.equal((await t.vault.userBackups.restore({ id: user.id }, { shares: [share3], verifyOnly: true })).sharesUsed.length, 3)
      const uses = (await auditOf(t, 'key.use')).length
      for (const input of [{ userShare: { recipientPublicKey: 'nope' } }, { userShare: {} }, { userShare: { passphrase: 'long enough passphrase' }, threshold: 1 }, { userShare: { passphrase: 'long enough passphrase' }, shares: 5 }]) {
        assert.equal((await refusal(t.vault.userBackups.create({ id: user.id }, input as never))).code, 'COFFRE_INVALID_INPUT')
      }
      const ed = generateKeyPairSync('ed25519')
      const solanaSecretKey = base58.encode(new Uint8Array([...ed.privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32), ...ed.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)]))
      const imported = await t.vault.users.import({ telegramUserId: 1008, polygonPrivateKey: `0x${'11'.repeat(32)}`, solanaSecretKey })
      assert.equal((await refusal(t.vault.userBackups.create({ id: imported.user.id }, { userShare: { recipientPublicKey: bot.publicKey } }))).code, 'COFFRE_UNSUPPORTED')
      assert.equal((await auditOf(t, 'key.use')).length, uses, 'no key was used for a refused input')
    })
  })
}

test('without object storage configured, a backup is refused before the key is used', async () => {
  const t = await openTestVault('sqlite')
  try {
    const user = await t.vault.users.create({ telegramUserId: 7 })
    const refused = await refusal(t.vault.userBackups.create({ id: user.id }, { userShare: { recipientPublicKey: x25519().publicKey } }))
    assert.equal(refused.code, 'COFFRE_INVALID_CONFIG')
    assert.equal((await auditOf(t, 'key.use')).length, 0)
  } finally {
    await t.cleanup()
  }
})

test('the configured S3 bucket is used through --backup-s3-* configuration (moto)', async () => {
  const saved = { ...process.env }
  process.env.AWS_ACCESS_KEY_ID = s3.credentials.accessKeyId
  process.env.AWS_SECRET_ACCESS_KEY = s3.credentials.secretAccessKey
  const t = await openTestVault('sqlite', { backupStorage: { kind: 's3', bucket: BUCKET, region: s3.region, endpoint: s3.endpoint, prefix: 'configured/' } })
  try {
    const user = await t.vault.users.create({ telegramUserId: 8 })
    const backup = await t.vault.userBackups.create({ id: user.id }, { userShare: { recipientPublicKey: x25519().publicKey } })
    assert.match(backup.objectShare.key, /^configured\/backups\//)
    const object = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: backup.objectShare.key }))
    assert.equal((await object.Body?.transformToByteArray())?.[0], 'C'.charCodeAt(0), 'a binary share (CFUS…) is stored')
    assert.equal((await t.vault.userBackups.restore({ id: user.id }, { verifyOnly: true })).polygonAddress, user.polygonAddress)
  } finally {
    await t.cleanup()
    process.env = saved
  }
})
