/**
 * Runs one suite on both storage engines (SQLite file and a real PostgreSQL database), the way
 * Kysely runs its own suite over every dialect.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { StoreConfig } from '../../src/store/openStore.ts'
import { createTestDatabase, type PostgresServer } from './postgres.ts'
import './strictTransactions.ts'

export type Engine = 'sqlite' | 'postgres'
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres']

export type TestStore = { readonly engine: Engine; readonly config: StoreConfig; readonly dir: string; cleanup(): Promise<void> }

/**
 * A fresh empty store of the given engine, plus a temp dir for key files and logs (and the SQLite
 * file). Options: the PostgreSQL server to use, a directory to create and use instead of a temp dir.
 */
export async function createTestStore(engine: Engine, options: { postgresServer?: PostgresServer; dir?: string } = {}): Promise<TestStore> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'coffre-test-'))
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  if (engine === 'sqlite') {
    return { engine, dir, config: { kind: 'sqlite', dataDir: dir, strictTransactions: true }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const database = await createTestDatabase(options.postgresServer)
  return {
    engine,
    dir,
    config: { kind: 'postgres', url: database.url, strictTransactions: true },
    cleanup: async () => {
      await database.drop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
