/**
 * A Coffre service on a loopback socket for client tests: a fresh SQLite vault, buildApp, listen,
 * a token with every scope, and optionally a stand-in CLOB the vault trades against.
 */
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/http/buildApp.ts'
import { SCOPES } from '../../src/vault/tokens/scopes.ts'
import { openTestVault, type TestVault } from '../support/vault.ts'
import { startStandinClob, type StandinClob } from '../polymarket/standinClob.ts'

export type LiveService = {
  readonly url: string
  readonly token: string
  readonly test: TestVault
  readonly app: FastifyInstance
  readonly clob: StandinClob | undefined
  close(): Promise<void>
}

export async function startLiveService(options: { clob?: boolean } = {}): Promise<LiveService> {
  const clob = options.clob === true ? await startStandinClob({ chainId: 137 }) : undefined
  const test = await openTestVault('sqlite', {}, clob === undefined ? {} : { polymarket: { baseUrl: clob.url, chainId: 137, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 10 }, sender: { backoff: { baseDelayMs: 1, maxDelayMs: 5 } } } })
  const app = await buildApp({ vault: test.vault, health: { probeIntervalMs: 1_000 } })
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  const { token } = await test.vault.tokens.create({ name: 'client-test', scopes: [...SCOPES], policy: 'allow-all' })
  return {
    url,
    token,
    test,
    app,
    clob,
    async close() {
      await app.close()
      await test.cleanup()
      await clob?.stop()
    },
  }
}
