import { createMemoryOutboxStore } from './memoryOutboxStore.ts'
import { runOutboxStoreContract } from './outboxContract.ts'

runOutboxStoreContract('in-memory reference', async () => createMemoryOutboxStore())
