import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { mnemonicToAccount, privateKeyToAccount } from 'viem/accounts'
import { Keypair } from '@solana/web3.js'
import { sql } from 'kysely'
import { ENGINES } from '../../support/engines.ts'
import { openTestVault, type TestVault } from '../../support/vault.ts'
import { contextOf } from '../../../src/vault/internals.ts'

for (const engine of ENGINES) {
  describe(`users on ${engine}`, () => {
    let t: TestVault
    before(async () => {
      t = await openTestVault(engine)
    })
    after(async () => t.cleanup())

    test('create makes a BIP-39 wallet whose export re-derives the stored Polygon and Solana addresses', async () => {
      const user = await t.vault.users.create({ telegramUserId: 42, username: 'alice' })
      assert.equal(user.telegramUserId, 42)
      assert.equal(user.username, 'alice')
      assert.match(user.polygonAddress, /^0x[0-9a-fA-F]{40}$/)
      assert.match(user.identityPublicKey, /^0[23][0-9a-f]{64}$/)
      const exported = await t.vault.users.export({ telegramUserId: 42 })
      assert.equal(exported.mnemonic?.split(' ').length, 12)
      // MetaMask's derivation (viem) and Phantom's key format (web3.js) agree with what Coffre stored.
      assert.equal(mnemonicToAccount(exported.mnemonic!).address, user.polygonAddress)
      assert.equal(privateKeyToAccount(exported.polygonPrivateKey as `0x${string}`).address, user.polygonAddress)
      const { base58 } = await import('@scure/base')
      assert.equal(Keypair.fromSecretKey(base58.decode(exported.solanaSecretKey)).publicKey.toBase58(), user.solanaAddress)
    })

    test('create is idempotent per telegram id, also under a storm of concurrent calls', async () => {
      const results = await Promise.all(Array.from({ length: 25 }, () => t.vault.users.ensure({ telegramUserId: 777 })))
      assert.equal(new Set(results.map((r) => r.user.id)).size, 1)
      assert.equal(results.filter((r) => r.created).length, 1)
      const again = await t.vault.users.ensure({ telegramUserId: 777, username: 'ignored' })
      assert.equal(again.created, false)
      assert.equal(again.user.id, results[0]!.user.id)
      const { n } = await contextOf(t.vault).store.db.selectFrom('wallets').innerJoin('users', 'users.id', 'wallets.user_id').select((eb) => eb.fn.countAll<number>().as('n')).where('users.telegram_user_id', '=', 777).executeTakeFirstOrThrow()
      assert.equal(Number(n), 2)
    })

    test('look-ups by id, telegram id and address (any case); unknown users are null', async () => {
      const user = await t.vault.users.create({ telegramUserId: 1001 })
      assert.equal((await t.vault.users.get({ id: user.id }))?.telegramUserId, 1001)
      assert.equal((await t.vault.users.get({ telegramUserId: 1001 }))?.id, user.id)
      assert.equal((await t.vault.users.get({ address: user.polygonAddress.toLowerCase() }))?.id, user.id)
      assert.equal((await t.vault.users.get({ address: user.solanaAddress }))?.id, user.id)
      assert.equal(await t.vault.users.get({ telegramUserId: 999_999 }), null)
    })

    test('list pages through every user exactly once in creation order', async () => {
      // One chunk of ensureMany is one transaction with one timestamp: 23 users made in the same
      // millisecond, so their order can only come from the id generator's monotonic sequence.
      const created = await t.vault.users.ensureMany(Array.from({ length: 23 }, (_, i) => ({ telegramUserId: 5000 + i })))
      assert.equal(created.filter((r) => r.created).length, 23)
      assert.equal(new Set(created.map((r) => r.user.createdAt)).size, 1, 'the batch shares one creation time')
      const seen: string[] = []
      let cursor: string | undefined
      for (;;) {
        const page = await t.vault.users.list({ limit: 7, ...(cursor ? { cursor } : {}) })
        seen.push(...page.users.map((u) => u.id))
        if (page.nextCursor === null) break
        cursor = page.nextCursor
      }
      assert.equal(seen.length, await t.vault.users.count())
      const batch = new Set(created.map((r) => r.user.id))
      assert.deepEqual(seen.filter((id) => batch.has(id)), created.map((r) => r.user.id), 'listed in the order the batch created them')
      assert.equal(new Set(seen).size, seen.length)
      await assert.rejects(t.vault.users.list({ cursor: 'garbage!' }), { code: 'COFFRE_INVALID_INPUT' })
      await assert.rejects(t.vault.users.list({ limit: 0 }), { code: 'COFFRE_INVALID_INPUT' })
    })

    test('bad input is a typed error and writes nothing', async () => {
      const before = await t.vault.users.count()
      for (const telegramUserId of [0, -1, 1.5, 'abc', '', null, 2 ** 60, {}] as unknown[]) {
        await assert.rejects(t.vault.users.create({ telegramUserId } as never), { code: 'COFFRE_INVALID_INPUT' })
      }
      await assert.rejects(t.vault.users.create({ telegramUserId: 5, username: 'x'.repeat(65) }), { code: 'COFFRE_INVALID_INPUT' })
      await assert.rejects(t.vault.users.create({ telegramUserId: 5, username: 'a\nb' }), { code: 'COFFRE_INVALID_INPUT' })
      await assert.rejects(t.vault.users.get({ id: 'not-a-uuid' }), { code: 'COFFRE_INVALID_INPUT' })
      assert.equal(await t.vault.users.count(), before)
    })

    test('a failure injected between the writes of one user leaves nothing behind', async () => {
      const db = contextOf(t.vault).store.db
      // A real database trigger makes the wallet insert fail after the user row was written.
      if (engine === 'sqlite') {
        await sql`create trigger fail_solana before insert on wallets when new.chain = 'solana' begin select raise(abort, 'injected failure'); end`.execute(db)
      } else {
        await sql`create function fail_solana() returns trigger language plpgsql as $$ begin if new.chain = 'solana' then raise exception 'injected failure'; end if; return new; end $$`.execute(db)
        await sql`create trigger fail_solana before insert on wallets for each row execute function fail_solana()`.execute(db)
      }
      const auditBefore = await t.vault.audit.verify()
      const countsBefore = await tableCounts(t)
      try {
        await assert.rejects(t.vault.users.create({ telegramUserId: 31337 }))
      } finally {
        await sql`drop trigger fail_solana ${engine === 'postgres' ? sql`on wallets` : sql``}`.execute(db)
        if (engine === 'postgres') await sql`drop function fail_solana()`.execute(db)
      }
      assert.deepEqual(await tableCounts(t), countsBefore)
      assert.equal(await t.vault.users.get({ telegramUserId: 31337 }), null)
      assert.equal((await t.vault.audit.verify()).entries, auditBefore.entries)
      // The same id then creates normally.
      assert.equal((await t.vault.users.ensure({ telegramUserId: 31337 })).created, true)
    })

    test('if the audit row cannot be written, user creation fails and nothing is stored (fail-closed)', async () => {
      const db = contextOf(t.vault).store.db
      if (engine === 'sqlite') await sql`create trigger fail_audit before insert on audit_log begin select raise(abort, 'audit device down'); end`.execute(db)
      else {
        await sql`create function fail_audit() returns trigger language plpgsql as $$ begin raise exception 'audit device down'; end $$`.execute(db)
        await sql`create trigger fail_audit before insert on audit_log for each row execute function fail_audit()`.execute(db)
      }
      const countsBefore = await tableCounts(t)
      try {
        await assert.rejects(t.vault.users.create({ telegramUserId: 4242 }), { code: 'COFFRE_AUDIT_FAILED' })
        await assert.rejects(t.vault.sign.message({ telegramUserId: 42 }, { chain: 'polygon', message: 'hi' }), { code: 'COFFRE_AUDIT_FAILED' })
      } finally {
        await sql`drop trigger fail_audit ${engine === 'postgres' ? sql`on audit_log` : sql``}`.execute(db)
        if (engine === 'postgres') await sql`drop function fail_audit()`.execute(db)
      }
      assert.deepEqual(await tableCounts(t), countsBefore)
    })

    test('every action is in the hash chain, and a modified, deleted or truncated entry is detected', async () => {
      const ok = await t.vault.audit.verify()
      assert.equal(ok.ok, true)
      assert.ok(ok.entries > 0)
      const actions = await contextOf(t.vault).store.db.selectFrom('audit_log').select('action').distinct().execute()
      assert.ok(actions.some((a) => a.action === 'user.create'))
      assert.ok(actions.some((a) => a.action === 'user.export'))
      const db = contextOf(t.vault).store.db
      const row = await db.selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow()
      await db.updateTable('audit_log').set({ actor: 'mallory' }).where('seq', '=', 2).execute()
      assert.deepEqual(await t.vault.audit.verify(), { ok: false, entries: 1, firstBrokenEntry: 2, reason: 'entry 2 was modified' })
      await db.deleteFrom('audit_log').where('seq', '=', 2).execute()
      assert.equal((await t.vault.audit.verify()).firstBrokenEntry, 2)
      await db.insertInto('audit_log').values(row).execute()
      assert.equal((await t.vault.audit.verify()).ok, true)
      const last = await db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow()
      await db.deleteFrom('audit_log').where('seq', '=', last.seq).execute()
      const truncated = await t.vault.audit.verify()
      assert.equal(truncated.ok, false)
      assert.equal(truncated.firstBrokenEntry, last.seq)
      await db.insertInto('audit_log').values(last).execute()
      assert.equal((await t.vault.audit.verify()).ok, true)
    })
  })
}

async function tableCounts(t: TestVault): Promise<Record<string, number>> {
  const db = contextOf(t.vault).store.db
  const out: Record<string, number> = {}
  for (const table of ['users', 'wallets', 'audit_log'] as const) {
    const { n } = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    out[table] = Number(n)
  }
  return out
}
