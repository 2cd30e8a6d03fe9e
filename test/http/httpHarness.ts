/** An app on a fresh SQLite vault (buildApp, no socket) with one token per scope set. */
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { buildApp, type AppDeps } from '../../src/http/buildApp.ts'
import { createServiceLogger } from '../../src/http/logging.ts'
import { createHttpMetrics } from '../../src/http/metrics.ts'
import { SCOPES, type Scope } from '../../src/vault/tokens/scopes.ts'
import type { Engine } from '../support/engines.ts'
import type { VaultConfig } from '../../src/config.ts'
import type { OpenVaultOptions } from '../../src/vault/openVault.ts'
import { openTestVault, type TestVault } from '../support/vault.ts'
import { contextOf } from '../../src/vault/internals.ts'

export type Harness = {
  app: FastifyInstance
  test: TestVault
  tokens: Record<Scope, string>
  logs: string[]
  auth(scope: Scope): { authorization: string }
  auditCount(): Promise<number>
  close(): Promise<void>
}

export async function startHarness(overrides: Partial<AppDeps> = {}, options: { engine?: Engine; config?: Partial<VaultConfig>; vault?: OpenVaultOptions; vaultOptions?: OpenVaultOptions } = {}): Promise<Harness> {
  const metrics = createHttpMetrics({ defaultMetrics: false })
  const test = await openTestVault(options.engine ?? 'sqlite', options.config ?? {}, { ...options.vault, ...options.vaultOptions, observer: metrics.observer })
  const logs: string[] = []
  const sink = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done() } })
  // Fast health-monitor timers so pages reflect changes within a fraction of a second (the
  // root-key check keeps its once-a-minute default).
  const health = { probeIntervalMs: 50, probeTimeoutMs: 1_000, snapshotIntervalMs: 100, ...overrides.health }
  const app = await buildApp({ vault: test.vault, metrics, logger: createServiceLogger('info', sink), ...overrides, health })
  const tokens = {} as Record<Scope, string>
  for (const scope of SCOPES) tokens[scope] = (await test.vault.tokens.create({ name: `t-${scope.replace(':', '-')}`, scopes: [scope], policy: 'allow-all' })).token
  return {
    app,
    test,
    tokens,
    logs,
    auth: (scope) => ({ authorization: `Bearer ${tokens[scope]}` }),
    auditCount: async () => Number((await contextOf(test.vault).store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    async close() {
      await app.close()
      await test.cleanup()
    },
  }
}
