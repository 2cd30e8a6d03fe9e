/** The SQL order outbox meets the OrderOutboxStore contract on SQLite and on PostgreSQL. */
import { openStore } from '../../src/store/openStore.ts'
import { createSqlOrderOutboxStore } from '../../src/store/polymarketOutbox.ts'
import { createTestStore, ENGINES } from '../support/engines.ts'
import { runOutboxStoreContract } from '../polymarket/outboxContract.ts'

for (const engine of ENGINES) {
  runOutboxStoreContract(`SQL (${engine})`, async () => {
    const testStore = await createTestStore(engine)
    const store = await openStore(testStore.config)
    return {
      store: createSqlOrderOutboxStore(store.db, store.dialect),
      async close() {
        await store.close()
        await testStore.cleanup()
      },
    }
  })
}
