/**
 * Prometheus metrics (prom-client, one registry per app — no global singleton): requests by route
 * and status with latency histograms, and the vault's counters through its VaultObserver hooks
 * (decrypts, signatures, audit writes, encryptions). Never labelled with a secret or an
 * identifier: data keys appear by state (`active` is the one key that encrypts), not by id, since
 * /metrics needs no token.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { VaultObserver } from '../vault/observer.ts'

export function createHttpMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry()
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'coffre_' })
  const requests = new Counter({ name: 'coffre_http_requests_total', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'], registers: [registry] })
  const latency = new Histogram({
    name: 'coffre_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  const decrypts = new Counter({ name: 'coffre_decrypts_total', help: 'Secret fields decrypted, by field', labelNames: ['field'], registers: [registry] })
  const signatures = new Counter({ name: 'coffre_signatures_total', help: 'Signatures made, by kind', labelNames: ['kind'], registers: [registry] })
  const auditWrites = new Counter({ name: 'coffre_audit_writes_total', help: 'Audit entries written, by action', labelNames: ['action'], registers: [registry] })
  const encryptions = new Counter({ name: 'coffre_data_key_encryptions_total', help: 'AES-GCM encryptions committed by this process (all data keys)', registers: [registry] })

  const keyCount = new Gauge({ name: 'coffre_data_key_encryption_count', help: 'Committed encryptions (all instances) of the data keys in each state: for `active`, the nonce-budget use of the key that encrypts now', labelNames: ['state'], registers: [registry] })
  const keysByState = new Gauge({ name: 'coffre_data_keys', help: 'Data keys in each state', labelNames: ['state'], registers: [registry] })
  const rotationRows = new Gauge({ name: 'coffre_data_key_rotation_rows', help: 'Latest data-key rotation: secrets re-encrypted away from the old key (done) out of those it held when the rotation started (total)', labelNames: ['kind'], registers: [registry] })
  const ready = new Gauge({ name: 'coffre_ready', help: '1 when this instance is ready (store answers, root key unwraps the active data key)', registers: [registry] })
  const auditIntact = new Gauge({ name: 'coffre_audit_chain_intact', help: '1 while the audit chain verifies (incrementally, on the health monitor timer)', registers: [registry] })
  const keyBudget = new Gauge({ name: 'coffre_data_key_nonce_budget', help: 'Encryptions allowed per data key before rotation', registers: [registry] })

  // Requests per second over the last minute, for the dashboard: one slot per second.
  const slots = new Array<number>(60).fill(0)
  let slotSecond = Math.floor(Date.now() / 1000)
  const advance = (now: number) => {
    const second = Math.floor(now / 1000)
    for (let s = slotSecond + 1; s <= second && s <= slotSecond + 60; s += 1) slots[s % 60] = 0
    if (second > slotSecond) slotSecond = second
  }

  const observer: VaultObserver = {
    decrypted: (field) => decrypts.inc({ field }),
    signed: (kind) => signatures.inc({ kind }),
    audited: (action, count) => auditWrites.inc({ action }, count),
    encrypted: (_dataKeyId, count) => encryptions.inc(count),
  }

  return {
    registry,
    observer,
    recordRequest(method: string, route: string, status: number, seconds: number, now = Date.now()): void {
      const labels = { method, route, status: String(status) }
      requests.inc(labels)
      latency.observe(labels, seconds)
      advance(now)
      slots[slotSecond % 60]! += 1
    },
    /** Sets the database-wide data-key gauges from the health monitor's latest snapshot (before each scrape). */
    setDataKeys(keys: readonly { state: string; encryptions: number }[], budget: number): void {
      keyCount.reset()
      keysByState.reset()
      for (const state of ['active', 'decrypt-only', 'retired']) {
        const inState = keys.filter((k) => k.state === state)
        keyCount.set({ state }, inState.reduce((n, k) => n + k.encryptions, 0))
        keysByState.set({ state }, inState.length)
      }
      keyBudget.set(budget)
    },
    /** Sets the rotation-progress gauges from the latest data-key rotation (running or finished). */
    setRotationProgress(progress: readonly { doneRows: number; totalRows: number; startedAt: string }[]): void {
      const latest = progress.reduce<(typeof progress)[number] | undefined>((a, p) => (a === undefined || p.startedAt > a.startedAt ? p : a), undefined)
      rotationRows.set({ kind: 'done' }, latest?.doneRows ?? 0)
      rotationRows.set({ kind: 'total' }, latest?.totalRows ?? 0)
    },
    /** Sets the health gauges (before each scrape). */
    setHealth(isReady: boolean, auditOk: boolean | null): void {
      ready.set(isReady ? 1 : 0)
      if (auditOk === null) auditIntact.reset()
      else auditIntact.set(auditOk ? 1 : 0)
    },
    /** Mean requests per second over the last 60 seconds. */
    requestRate(now = Date.now()): number {
      advance(now)
      return slots.reduce((a, b) => a + b, 0) / 60
    },
  }
}

export type HttpMetrics = ReturnType<typeof createHttpMetrics>
