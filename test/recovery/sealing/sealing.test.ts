import assert from 'node:assert/strict'
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scryptSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core'
import * as PanvaHpke from 'hpke'
import { openAesGcm } from '../../../src/crypto/aead.ts'
import { secp256k1 } from '../../../src/crypto/secp256k1.ts'
import { deriveChildKeyPair } from '../../../src/derive/deriveChildKeyPair.ts'
import { refusalCode as codeOf } from '../../support/refusal.ts'
import { splitUserEntropy } from '../../../src/recovery/shares/splitUserEntropy.ts'
import { openShareAsGuardian, sealShareToGuardian, type GuardianSealedShare } from '../../../src/recovery/sealing/sealShareToGuardian.ts'
import { openShareFromX25519, sealShareToX25519 } from '../../../src/recovery/sealing/sealShareToX25519.ts'
import { DEFAULT_SCRYPT, openShareWithPassphrase, sealShareWithPassphrase } from '../../../src/recovery/sealing/sealShareWithPassphrase.ts'

const hex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'))
const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url')
const context = 'vault-1:user-1'


async function aShare(index = 3): Promise<Uint8Array> {
  const split = await splitUserEntropy(new Uint8Array(randomBytes(16)), { context })
  return split.shares[index - 1] as Uint8Array
}

describe('HPKE (RFC 9180) share sealing', () => {
  test('@hpke/core reproduces RFC 9180 A.1.1 (X25519, HKDF-SHA256 — the KEM and KDF of Coffre\'s suite)', async () => {
    const v = JSON.parse(readFileSync(new URL('../../vectors/hpke/rfc9180-a1-base.json', import.meta.url), 'utf8'))
    const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() })
    const recipientKey = await suite.kem.importKey('raw', hex(v.skRm), false)
    const recipient = await suite.createRecipientContext({ recipientKey, enc: hex(v.enc), info: hex(v.info) })
    const sender = await suite.createSenderContext({ recipientPublicKey: await suite.kem.importKey('raw', hex(v.pkRm), true), info: hex(v.info), ekm: hex(v.ikmE) })
    assert.equal(Buffer.from(sender.enc).toString('hex'), v.enc)
    for (const e of v.encryptions) {
      assert.equal(Buffer.from(await sender.seal(hex(e.pt), hex(e.aad))).toString('hex'), e.ct)
      assert.equal(Buffer.from(await recipient.open(hex(e.ct), hex(e.aad))).toString('hex'), e.pt)
    }
  })

  test('a sealed share opens, and is interoperable both ways with an independent HPKE (panva/hpke)', async () => {
    const panva = new PanvaHpke.CipherSuite(PanvaHpke.KEM_DHKEM_X25519_HKDF_SHA256, PanvaHpke.KDF_HKDF_SHA256, PanvaHpke.AEAD_AES_256_GCM)
    const recipient = await panva.GenerateKeyPair(true)
    const publicKey = await panva.SerializePublicKey(recipient.publicKey)
    const privateKey = await panva.SerializePrivateKey(recipient.privateKey)
    const share = await aShare(3)
    const sealed = await sealShareToX25519(share, publicKey)
    assert.deepEqual([sealed.format, sealed.index, sealed.suite], ['coffre-share-hpke-v1', 3, 'DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM'])
    const labels = { info: Buffer.from('coffre-share-hpke-v1'), aad: Buffer.from(`coffre-share-hpke-v1\n${sealed.backupId}\n3`) }
    const byPanva = await panva.Open(recipient, Buffer.from(sealed.enc, 'base64url'), Buffer.from(sealed.ciphertext, 'base64url'), labels)
    assert.deepEqual(byPanva, share)
    const fromPanva = await panva.Seal(recipient.publicKey, share, labels)
    const envelope = { ...sealed, enc: b64u(fromPanva.encapsulatedSecret), ciphertext: b64u(fromPanva.ciphertext) }
    assert.deepEqual(await openShareFromX25519(envelope, privateKey), share)
    assert.deepEqual(await openShareFromX25519(sealed, privateKey), share)
  })

  test('another key, a relabelled envelope or a low-order public key is refused', async () => {
    const panva = new PanvaHpke.CipherSuite(PanvaHpke.KEM_DHKEM_X25519_HKDF_SHA256, PanvaHpke.KDF_HKDF_SHA256, PanvaHpke.AEAD_AES_256_GCM)
    const [a, b] = [await panva.GenerateKeyPair(true), await panva.GenerateKeyPair(true)]
    const sealed = await sealShareToX25519(await aShare(2), await panva.SerializePublicKey(a.publicKey))
    assert.equal(await codeOf(openShareFromX25519(sealed, await panva.SerializePrivateKey(b.privateKey))), 'COFFRE_DECRYPT_FAILED')
    assert.equal(await codeOf(openShareFromX25519({ ...sealed, index: 1 }, await panva.SerializePrivateKey(a.privateKey))), 'COFFRE_DECRYPT_FAILED')
    assert.equal(await codeOf(sealShareToX25519(await aShare(1), new Uint8Array(32))), 'COFFRE_INVALID_INPUT')
    assert.equal(await codeOf(sealShareToX25519(new Uint8Array(60), await panva.SerializePublicKey(a.publicKey))), 'COFFRE_SHARE_MALFORMED')
  })
})

describe('passphrase-sealed shares (scrypt + AES-256-GCM)', () => {
  const fast = { logN: 15, r: 8, p: 1 }
  test('the default parameters are N = 2^17, r = 8, p = 1 and travel in the envelope; the format is the documented one', async () => {
    const share = await aShare(3)
    const sealed = await sealShareWithPassphrase(share, 'correct horse battery staple')
    assert.deepEqual({ ...sealed.kdf, salt: undefined }, { name: 'scrypt', ...DEFAULT_SCRYPT, salt: undefined })
    assert.equal(Buffer.from(sealed.kdf.salt, 'base64url').length, 16)
    // Independent reading of the envelope: scrypt → key, AES-256-GCM with the documented associated data.
    const key = scryptSync('correct horse battery staple', Buffer.from(sealed.kdf.salt, 'base64url'), 32, { N: 2 ** 17, r: 8, p: 1, maxmem: 512 * 2 ** 20 })
    const aad = `coffre-share-scrypt-v1\n${sealed.backupId}\n3\nscrypt:17:8:1:${sealed.kdf.salt}`
    assert.deepEqual(openAesGcm(new Uint8Array(key), new Uint8Array(Buffer.from(sealed.ciphertext, 'base64url')), new Uint8Array(Buffer.from(aad))), share)
  })

  test('NFKC: the same passphrase typed with composed or decomposed accents opens it', async () => {
    const share = await aShare(1)
    const sealed = await sealShareWithPassphrase(share, 'crème brûlée au café', fast)
    assert.deepEqual(await openShareWithPassphrase(sealed, 'cre\u0300me bru\u0302le\u0301e au cafe\u0301'), share)
  })

  test('a wrong passphrase, altered parameters or a relabelled envelope is refused; weak or huge parameters never run', async () => {
    const sealed = await sealShareWithPassphrase(await aShare(2), 'a long enough passphrase', fast)
    assert.equal(await codeOf(openShareWithPassphrase(sealed, 'a long enough passphrasE')), 'COFFRE_DECRYPT_FAILED')
    assert.equal(await codeOf(openShareWithPassphrase({ ...sealed, kdf: { ...sealed.kdf, logN: 16 } }, 'a long enough passphrase')), 'COFFRE_DECRYPT_FAILED')
    assert.equal(await codeOf(openShareWithPassphrase({ ...sealed, index: 3 }, 'a long enough passphrase')), 'COFFRE_DECRYPT_FAILED')
    assert.equal(await codeOf(openShareWithPassphrase({ ...sealed, kdf: { ...sealed.kdf, logN: 10 } }, 'a long enough passphrase')), 'COFFRE_INVALID_INPUT')
    assert.equal(await codeOf(openShareWithPassphrase({ ...sealed, kdf: { ...sealed.kdf, logN: 24 } }, 'a long enough passphrase')), 'COFFRE_INVALID_INPUT')
    assert.equal(await codeOf(sealShareWithPassphrase(await aShare(1), 'too short')), 'COFFRE_INVALID_INPUT')
  })
})

describe('guardian-sealed shares (ECIES on secp256k1, eciesjs)', () => {
  const identity = new Uint8Array(randomBytes(32))
  const guardian = deriveChildKeyPair(Buffer.from(identity).toString('hex'), 0)
  const guardianKey = new Uint8Array(Buffer.from(guardian.privateKey, 'hex'))

  /**
   * The construction as documented, read independently of eciesjs (which uses @noble/curves): the
   * shared point from libsecp256k1's ECDH (uncompressed), HKDF-SHA256 over ephemeral ‖ shared with
   * no salt or info, AES-256-GCM with a 16-byte nonce — from node:crypto.
   */
  function oracleKey(ephemeralPublic: Uint8Array, peerPublic: Uint8Array, privateKey: Uint8Array): Buffer {
    const shared = secp256k1.ecdh(peerPublic, privateKey, { hashfn: (x: Uint8Array, y: Uint8Array) => Uint8Array.from([4, ...x, ...y]) }, new Uint8Array(65))
    return Buffer.from(hkdfSync('sha256', Buffer.concat([ephemeralPublic, shared]), Buffer.alloc(0), Buffer.alloc(0), 32))
  }

  test('a sealed share opens with the guardian\'s key, and an independent reading of the construction agrees both ways', async () => {
    const share = await aShare(2)
    const sealed = sealShareToGuardian(share, guardian.publicKey)
    assert.deepEqual([sealed.format, sealed.guardianPublicKey, sealed.index], ['coffre-share-ecies-secp256k1-v1', guardian.publicKey, 2])
    assert.deepEqual(openShareAsGuardian(sealed, guardianKey), share)

    const payload = Buffer.from(sealed.ciphertext, 'base64url')
    const ephemeral = payload.subarray(0, 65)
    const decipher = createDecipheriv('aes-256-gcm', oracleKey(ephemeral, ephemeral, guardianKey), payload.subarray(65, 81))
    decipher.setAuthTag(payload.subarray(81, 97))
    assert.deepEqual(new Uint8Array(Buffer.concat([decipher.update(payload.subarray(97)), decipher.final()])), share)

    const ephemeralKey = new Uint8Array(randomBytes(32))
    const ephemeralPublic = secp256k1.publicKeyCreate(ephemeralKey, false)
    const nonce = randomBytes(16)
    const cipher = createCipheriv('aes-256-gcm', oracleKey(ephemeralPublic, Buffer.from(guardian.publicKey, 'hex'), ephemeralKey), nonce)
    const ct = Buffer.concat([cipher.update(share), cipher.final()])
    const fromOracle: GuardianSealedShare = { ...sealed, ciphertext: b64u(Buffer.concat([ephemeralPublic, nonce, cipher.getAuthTag(), ct])) }
    assert.deepEqual(openShareAsGuardian(fromOracle, guardianKey), share)
  })

  test('another guardian\'s key or a relabelled envelope is refused; a key off the curve is never sealed to', async () => {
    const sealed = sealShareToGuardian(await aShare(1), guardian.publicKey)
    const other = deriveChildKeyPair(Buffer.from(identity).toString('hex'), 1)
    assert.equal(await codeOf(() => openShareAsGuardian(sealed, new Uint8Array(Buffer.from(other.privateKey, 'hex')))), 'COFFRE_DECRYPT_FAILED')
    assert.equal(await codeOf(() => openShareAsGuardian({ ...sealed, index: 2 }, guardianKey)), 'COFFRE_DECRYPT_FAILED')
    assert.equal(await codeOf(() => sealShareToGuardian(new Uint8Array(67), guardian.publicKey)), 'COFFRE_SHARE_MALFORMED')
    assert.equal(await codeOf(async () => sealShareToGuardian(await aShare(1), `02${'ff'.repeat(32)}`)), 'COFFRE_INVALID_INPUT')
  })
})
