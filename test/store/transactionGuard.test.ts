/**
 * The transaction tripwire (src/store/transactionGuard.ts), on both engines: a query sent on the
 * database handle from inside an open transaction fails with COFFRE_TRANSACTION_BYPASS (on SQLite
 * it used to wait for ever), the transaction rolls back, and everything else is untouched —
 * queries through the transaction, unrelated concurrent callers, and work left over after commit.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { openStore, type Store } from '../../src/store/openStore.ts'
import { ENGINES, createTestStore, type TestStore } from '../support/engines.ts'

for (const engine of ENGINES) {
  describe(`strict transactions on ${engine}`, () => {
    let testStore: TestStore
    let store: Store
    const meta = (key: string) => store.db.selectFrom('coffre_meta').select('value').where('key', '=', key).executeTakeFirst()

    before(async () => {
      testStore = await createTestStore(engine)
      store = await openStore({ ...testStore.config, strictTransactions: true })
    })
    after(async () => {
      await store.close()
      await testStore.cleanup()
    })

    test('a query on the database handle inside a transaction throws a typed error and the transaction rolls back', async () => {
      await assert.rejects(
        store.db.transaction().execute(async (trx) => {
          await trx.insertInto('coffre_meta').values({ key: 'bypass-test', value: 'written' }).execute()
          await store.db.selectFrom('data_keys').selectAll().execute()
        }),
        { code: 'COFFRE_TRANSACTION_BYPASS' },
      )
      assert.equal(await meta('bypass-test'), undefined, 'nothing of the transaction was committed')
    })

    test('the bypass is caught however deep the call chain (timers, promise chains, a setIsolationLevel builder)', async () => {
      const deep = () => new Promise((resolve) => setTimeout(resolve, 1)).then(() => sql`select 1`.execute(store.db))
      await assert.rejects(store.db.transaction().execute(async () => deep()), { code: 'COFFRE_TRANSACTION_BYPASS' })
      if (engine === 'postgres') {
        await assert.rejects(store.db.transaction().setIsolationLevel('serializable').execute(async () => deep()), { code: 'COFFRE_TRANSACTION_BYPASS' })
      }
    })

    test('through the transaction handle, concurrently from outside, and after commit, queries run as before', async () => {
      let release!: () => void
      const held = new Promise<void>((resolve) => (release = resolve))
      let leftover: Promise<unknown> | undefined
      const transaction = store.db.transaction().execute(async (trx) => {
        await trx.insertInto('coffre_meta').values({ key: 'guard-ok', value: 'yes' }).execute()
        await held
        // Started inside, runs once the transaction has committed: not a bypass.
        leftover = new Promise((resolve) => setTimeout(resolve, 50)).then(() => meta('guard-ok'))
        return (await trx.selectFrom('coffre_meta').select('value').where('key', '=', 'guard-ok').executeTakeFirstOrThrow()).value
      })
      // An unrelated caller (another request) waits for the connection (SQLite) or uses another (PostgreSQL).
      const outside = sql`select 1 as one`.execute(store.db)
      release()
      assert.equal(await transaction, 'yes')
      assert.equal((await outside).rows.length, 1)
      assert.deepEqual(await leftover, { value: 'yes' })
    })
  })
}
