/**
 * Tests run the store with transaction checking on (src/store/transactionGuard.ts): a query that
 * bypasses an open transaction fails with COFFRE_TRANSACTION_BYPASS instead of hanging. Importing
 * this module turns it on for every `coffre` process the test starts (they inherit the environment).
 */
process.env.COFFRE_STRICT_TRANSACTIONS ??= '1'

export const STRICT_TRANSACTIONS_ENV = { COFFRE_STRICT_TRANSACTIONS: '1' } as const
