import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { privateKeyToAccount } from 'viem/accounts'
import { deriveChildKeyPair } from '../../../src/derive/deriveChildKeyPair.ts'
import { openShareAsGuardian } from '../../../src/recovery/sealing/sealShareToGuardian.ts'
import { combineUserShares } from '../../../src/recovery/shares/combineUserShares.ts'
import { readVaultId } from '../../../src/store/vaultMeta.ts'
import { contextOf } from '../../../src/vault/internals.ts'
import { entropyToMnemonic } from '../../../src/wallet/mnemonic.ts'
import { ENGINES } from '../../support/engines.ts'
import { refusal } from '../../support/refusal.ts'
import { openTestVault, type TestVault } from '../../support/vault.ts'

// Guardian keys held only by this test.
const guardian = (seed: string, i: number) => deriveChildKeyPair(seed.repeat(32), i)
const G = [0, 1, 2].map((i) => guardian('47', i))
const H = [0, 1, 2].map((i) => guardian('48', i))
const sign = (key: { privateKey: string }, text: string) => privateKeyToAccount(`0x${key.privateKey}`).signMessage({ message: text })
const HOUR = 3600_000

for (const engine of ENGINES) {
  describe(`guardians and account recovery on ${engine}`, () => {
    let t: TestVault
    let now = Date.UTC(2026, 11, 1)
    before(async () => {
      t = await openTestVault(engine, {}, { recovery: { now: () => now, waitingPeriodSeconds: 48 * 3600 } })
    })
    after(async () => t?.cleanup())

    const actions = async (action: string) =>
      (await contextOf(t.vault).store.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute()).map((r) => JSON.parse(r.details) as Record<string, unknown>)

    test('guardians: t < n is required; each guardian\'s ECIES share opens with its key only and t of them rebuild the wallet offline', async () => {
      const user = await t.vault.users.create({ telegramUserId: 2001 })
      assert.equal((await refusal(t.vault.guardians.add({ id: user.id }, { publicKeys: G.map((g) => g.publicKey), threshold: 3 }))).code, 'COFFRE_INVALID_INPUT')
      assert.equal((await refusal(t.vault.guardians.add({ id: user.id }, { publicKeys: [G[0]!.publicKey] }))).code, 'COFFRE_INVALID_INPUT')
      assert.equal((await refusal(t.vault.guardians.add({ id: user.id }, { publicKeys: [G[0]!.publicKey, G[0]!.publicKey] }))).code, 'COFFRE_INVALID_INPUT')
      const set = await t.vault.guardians.add({ id: user.id }, { publicKeys: G.map((g) => g.publicKey), threshold: 2 }, { actor: 'test' })
      assert.equal(set.threshold, 2)
      assert.equal(set.version, 1)
      assert.equal(set.setId, `${set.pairUuid}#1`)
      assert.deepEqual(set.guardians, G.map((g) => g.publicKey))
      const pair = await t.vault.pairs.get(set.pairUuid)
      assert.deepEqual([pair?.publicKey, ...(pair?.publicKeys ?? [])], G.map((g) => g.publicKey), 'the guardians are a seed-004 pair')
      assert.deepEqual(await t.vault.guardians.get({ id: user.id }), set)
      const key = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'))
      assert.throws(() => openShareAsGuardian(set.sealedShares[0]!, key(G[1]!.privateKey)), { code: 'COFFRE_DECRYPT_FAILED' })
      const shares = [0, 2].map((i) => openShareAsGuardian(set.sealedShares[i]!, key(G[i]!.privateKey)))
      const vaultId = (await readVaultId(contextOf(t.vault).store.db))!
      const combined = await combineUserShares(shares, { context: `${vaultId}:${user.id}`, purpose: 'guardians', backupId: set.backupId })
      assert.equal(entropyToMnemonic(combined.entropy), (await t.vault.users.export({ id: user.id })).mnemonic)
      assert.equal((await actions('user.guardians.add')).at(-1)?.setId, set.setId)
    })

    test('recovery end to end: t guardian signatures, a waiting period on the injected clock, then the binding moves', async () => {
      const user = await t.vault.users.create({ telegramUserId: 2002 })
      const set = await t.vault.guardians.add({ id: user.id }, { publicKeys: G.map((g) => g.publicKey) })
      assert.equal(set.threshold, 2, 'default ceil(3/2)')
      assert.equal((await refusal(t.vault.recovery.request({ id: user.id }, { newTelegramUserId: 2001 }))).code, 'COFFRE_CONFLICT', 'a telegram id another user has')
      const request = await t.vault.recovery.request({ id: user.id }, { newTelegramUserId: 9002 })
      assert.equal(request.state, 'pending')
      assert.match(request.text, new RegExp(`^Coffre account recovery v1\\n[^]*User: ${user.id}\\nNew Telegram ID: 9002\\nExpires: [^\\n]+\\nNonce: [0-9a-f]{64}$`))
      assert.equal((await refusal(t.vault.recovery.request({ id: user.id }, { newTelegramUserId: 9003 }))).code, 'COFFRE_CONFLICT', 'one open request at a time')

      const outsider = await refusal(t.vault.recovery.approve({ id: user.id }, request.requestId, { signatures: [await sign(H[0]!, request.text)] }))
      assert.equal(outsider.code, 'COFFRE_RECOVERY_SIGNATURE_INVALID')
      const otherText = await refusal(t.vault.recovery.approve({ id: user.id }, request.requestId, { signatures: [await sign(G[0]!, request.text.replace('9002', '9004'))] }))
      assert.equal(otherText.code, 'COFFRE_RECOVERY_SIGNATURE_INVALID', 'a signature over another text recovers another key')
      const one = await t.vault.recovery.approve({ id: user.id }, request.requestId, { signatures: [await sign(G[0]!, request.text)] })
      assert.deepEqual([one.state, one.approvedBy.length], ['pending', 1])
      const again = await t.vault.recovery.approve({ id: user.id }, request.requestId, { signatures: [await sign(G[0]!, request.text)] })
      assert.equal(again.approvedBy.length, 1, 'one guardian counts once')
      assert.equal((await refusal(t.vault.recovery.complete({ id: user.id }, request.requestId))).code, 'COFFRE_RECOVERY_PENDING')
      const approved = await t.vault.recovery.approve({ id: user.id }, request.requestId, { signatures: [await sign(G[2]!, request.text)] })
      assert.equal(approved.state, 'approved')
      assert.equal(approved.executableAt, new Date(Math.floor(now / 1000) * 1000 + 48 * HOUR).toISOString())

      now += 47 * HOUR
      assert.equal((await refusal(t.vault.recovery.complete({ id: user.id }, request.requestId))).code, 'COFFRE_RECOVERY_PENDING', 'still in the waiting period')
      assert.equal((await t.vault.users.get({ telegramUserId: 2002 }))?.id, user.id, 'nothing moved yet')
      now += 2 * HOUR
      const done = await t.vault.recovery.complete({ id: user.id }, request.requestId, { actor: 'test' })
      assert.equal(done.state, 'completed')
      assert.equal(await t.vault.users.get({ telegramUserId: 2002 }), null)
      const moved = await t.vault.users.get({ telegramUserId: 9002 })
      assert.deepEqual([moved?.id, moved?.polygonAddress, moved?.solanaAddress], [user.id, user.polygonAddress, user.solanaAddress])
      assert.deepEqual((await actions('user.recovery.complete')).at(-1), { outcome: 'ok', from: 2002, to: 9002 })
      assert.ok((await actions('user.recovery.approve')).some((d) => d.outcome === 'refused' && d.code === 'COFFRE_RECOVERY_SIGNATURE_INVALID'), 'refused approvals are audited')
      assert.equal((await refusal(t.vault.recovery.complete({ id: user.id }, request.requestId))).code, 'COFFRE_RECOVERY_PENDING', 'it runs once')
    })

    test('the owner cancels during the waiting period; the request can no longer complete', async () => {
      const user = await t.vault.users.create({ telegramUserId: 2003 })
      await t.vault.guardians.add({ id: user.id }, { publicKeys: G.map((g) => g.publicKey), threshold: 2 })
      const request = await t.vault.recovery.request({ id: user.id }, { newTelegramUserId: 9005 })
      await t.vault.recovery.approve({ id: user.id }, request.requestId, { signatures: await Promise.all([G[1]!, G[2]!].map((g) => sign(g, request.text))) })
      const cancelled = await t.vault.recovery.cancel({ id: user.id }, request.requestId)
      assert.equal(cancelled.state, 'cancelled')
      now += 72 * HOUR
      assert.equal((await refusal(t.vault.recovery.complete({ id: user.id }, request.requestId))).code, 'COFFRE_RECOVERY_PENDING')
      assert.equal((await t.vault.users.get({ telegramUserId: 2003 }))?.id, user.id)
      assert.equal((await t.vault.recovery.status({ id: user.id }, request.requestId)).state, 'cancelled')
    })

    test('an expired request cannot be approved; rotating guardians cancels open requests and voids the old guardians', async () => {
      const user = await t.vault.users.create({ telegramUserId: 2004 })
      await t.vault.guardians.add({ id: user.id }, { publicKeys: G.map((g) => g.publicKey) })
      const short = await t.vault.recovery.request({ id: user.id }, { newTelegramUserId: 9006, ttlSeconds: 3600 })
      now += 2 * HOUR
      assert.equal((await t.vault.recovery.status({ id: user.id }, short.requestId)).state, 'expired')
      assert.equal((await refusal(t.vault.recovery.approve({ id: user.id }, short.requestId, { signatures: [await sign(G[0]!, short.text)] }))).code, 'COFFRE_RECOVERY_EXPIRED')
      await t.vault.recovery.cancel({ id: user.id }, short.requestId)

      const open = await t.vault.recovery.request({ id: user.id }, { newTelegramUserId: 9007 })
      const rotated = await t.vault.guardians.add({ id: user.id }, { publicKeys: H.map((h) => h.publicKey), threshold: 2 })
      assert.equal(rotated.version, 2)
      assert.equal((await t.vault.recovery.status({ id: user.id }, open.requestId)).state, 'cancelled', 'rotation cancelled the open request')
      const fresh = await t.vault.recovery.request({ id: user.id }, { newTelegramUserId: 9007 })
      assert.match(fresh.text, new RegExp(`Guardian set: ${rotated.setId.replace('#', '#')}\\n`))
      assert.equal((await refusal(t.vault.recovery.approve({ id: user.id }, fresh.requestId, { signatures: [await sign(G[0]!, fresh.text)] }))).code, 'COFFRE_RECOVERY_SIGNATURE_INVALID', 'old guardians no longer count')
      const removed = await t.vault.guardians.remove({ id: user.id })
      assert.equal(removed.cancelledRequests, 1)
      assert.equal(await t.vault.guardians.get({ id: user.id }), null)
      assert.equal((await refusal(t.vault.recovery.request({ id: user.id }, { newTelegramUserId: 9008 }))).code, 'COFFRE_NOT_FOUND', 'no guardians, no recovery')
    })
  })
}
