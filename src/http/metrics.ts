/**
 * Prometheus metrics (prom-client, one registry per app — no global singleton): requests by route
 * and status with latency histograms, and the vault's counters through its VaultObserver hooks
 * (decrypts, signatures, audit writes, encryptions per data key). Never labelled with a secret.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { VaultObserver } from '../vault/context.ts'

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
  const encryptions = new Counter({ name: 'coffre_data_key_encryptions_total', help: 'AES-GCM encryptions committed by this process, by data key', labelNames: ['data_key'], registers: [registry] })

  const keyCount = new Gauge({ name: 'coffre_data_key_encryption_count', help: 'Committed encryptions per data key (all instances), read from the database at scrape time', labelNames: ['data_key', 'state'], registers: [registry] })
  const rotationRows = new Gauge({ name: 'coffre_data_key_rotation_rows', help: 'Data-key rotation progress: secrets re-encrypted away from a key (done) out of those it held when its rotation started (total)', labelNames: ['data_key', 'kind'], registers: [registry] })
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
    encrypted: (dataKeyId, count) => encryptions.inc({ data_key: dataKeyId }, count),
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
    /** Sets the database-wide data-key gauges (called before each scrape). */
    setDataKeys(keys: readonly { id: string; state: string; encryptions: number }[], budget: number): void {
      keyCount.reset()
      for (const key of keys) keyCount.set({ data_key: key.id, state: key.state }, key.encryptions)
      keyBudget.set(budget)
    },
    /** Sets the rotation-progress gauges (called before each scrape). */
    setRotationProgress(progress: readonly { dataKeyId: string; doneRows: number; totalRows: number }[]): void {
      rotationRows.reset()
      for (const p of progress) {
        rotationRows.set({ data_key: p.dataKeyId, kind: 'done' }, p.doneRows)
        rotationRows.set({ data_key: p.dataKeyId, kind: 'total' }, p.totalRows)
      }
    },
    /** Mean requests per second over the last 60 seconds. */
    requestRate(now = Date.now()): number {
      advance(now)
      return slots.reduce((a, b) => a + b, 0) / 60
    },
  }
}

export type HttpMetrics = ReturnType<typeof createHttpMetrics>
