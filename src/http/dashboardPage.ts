/** Server-rendered dashboard HTML: no scripts, no build step, every value escaped. */
import type { DashboardData } from './dashboardData.ts'

const escapeHtml = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

const badge = (ok: boolean, yes: string, no: string) => `<span class="badge ${ok ? 'ok' : 'bad'}">${ok ? yes : no}</span>`

export function renderDashboard(data: DashboardData): string {
  const status = data.status
  const keys = (status?.dataKeys ?? [])
    .map((k) => {
      const used = (k.encryptions / (status?.nonceBudget ?? 1)) * 100
      return `<tr><td>${escapeHtml(k.state)}</td><td class="num">${k.encryptions}</td><td class="num">${used.toFixed(used < 1 ? 4 : 1)}%</td><td>${escapeHtml(k.createdAt)}</td><td class="num">${k.rotation === null ? '' : `${k.rotation.doneRows}/${k.rotation.totalRows}`}</td></tr>`
    })
    .join('')
  const events = (status?.recentEvents ?? [])
    .map((e) => `<tr><td class="num">${e.seq}</td><td>${escapeHtml(e.at)}</td><td>${escapeHtml(e.action)}</td><td>${escapeHtml(e.actor)}</td><td>${escapeHtml(e.subject)}</td></tr>`)
    .join('')
  const audit = status?.audit
  const auditText = audit === undefined ? 'not checked yet' : audit.ok ? `${audit.entries} entries verified` : `broken at entry ${audit.firstBrokenEntry ?? '?'}: ${audit.reason ?? ''}`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="10"><title>Coffre dashboard</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left}.num{text-align:right}
.badge{padding:.1rem .5rem;border-radius:.3rem;color:#fff}.ok{background:#2a7d3b}.bad{background:#b3261e}
.tiles{display:flex;gap:1rem}.tile{border:1px solid #ddd;border-radius:.4rem;padding:.6rem 1rem;min-width:9rem}.tile b{display:block;font-size:1.4rem}
</style></head><body>
<h1>Coffre</h1>
<div class="tiles">
<div class="tile" id="health">Health<b>${badge(data.readiness.ready, 'ready', 'unavailable')}</b>database ${data.readiness.database ? 'ok' : 'down'}, root key ${data.readiness.rootKey ? 'ok' : 'unusable'}</div>
<div class="tile" id="users">Users<b>${status === null ? '…' : status.users}</b></div>
<div class="tile" id="audit">Audit chain<b>${audit === undefined ? '…' : badge(audit.ok, 'intact', 'broken')}</b>${escapeHtml(auditText)}</div>
<div class="tile" id="rate">Requests<b>${data.requestRate.toFixed(2)}/s</b>last minute, this instance</div>
</div>
<h2>Data keys</h2>
<p>Nonce budget: ${status === null ? '…' : status.nonceBudget} encryptions per key (rotated before it is spent).</p>
<table id="data-keys"><thead><tr><th>state</th><th>encryptions</th><th>of budget</th><th>created</th><th>re-encrypted</th></tr></thead><tbody>${keys}</tbody></table>
<h2>Recent audit events</h2>
<table id="events"><thead><tr><th>#</th><th>at</th><th>action</th><th>actor</th><th>subject</th></tr></thead><tbody>${events}</tbody></table>
<p id="as-of">As of ${escapeHtml(status?.at ?? 'the first check')} (checked in the background; audit chain verified incrementally, <code>coffre audit verify</code> for a full check).</p>
<p><a href="/docs">API docs</a> · <a href="/openapi.json">OpenAPI</a> · <a href="/metrics">metrics</a></p>
</body></html>`
}
