import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { chromium } from 'playwright-core'
import { runCoffre } from '../support/cli.ts'
import { eventually } from '../support/eventually.ts'
import { startServe, type ServeProcess } from './serveProcess.ts'

let dir: string
let server: ServeProcess
let token: string
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'coffre-serve-'))
  const init = await runCoffre(['init', '--data-dir', dir, '--json'])
  assert.equal(init.code, 0, init.stderr)
  const created = await runCoffre(['tokens', 'create', '--policy', 'allow-all', '--scopes', 'users:read,users:write,sign', '--name', 'bot', '--data-dir', dir, '--json'])
  assert.equal(created.code, 0, created.stderr)
  token = created.json.token
  assert.match(token, /^cfr_[A-Za-z0-9_-]{43}$/)
  server = await startServe(['--data-dir', dir])
})
after(async () => {
  if (server.child.exitCode === null) await server.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('over a real socket: create, fetch, list tokens, revoke takes effect', async () => {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const created = await fetch(`${server.url}/v1/users`, { method: 'POST', headers, body: JSON.stringify({ telegramUserId: 555, username: 'carol' }) })
  assert.equal(created.status, 201)
  const user = (await created.json()) as { id: string; username: string }
  assert.equal(user.username, 'carol')
  const fetched = await fetch(`${server.url}/v1/users/${user.id}`, { headers })
  assert.equal(fetched.status, 200)
  const list = await runCoffre(['tokens', 'list', '--data-dir', dir, '--json'])
  assert.equal(list.json.tokens.length, 1)
  assert.ok(!list.stdout.includes(token), 'tokens list never prints the token')
  assert.equal((await runCoffre(['tokens', 'revoke', list.json.tokens[0].id, '--data-dir', dir, '--json'])).code, 0)
  const after = await fetch(`${server.url}/v1/users/${user.id}`, { headers })
  assert.equal(after.status, 401)
})

test('the dashboard renders in headless Chromium', async () => {
  const userDataDir = mkdtempSync(join(tmpdir(), 'coffre-chromium-'))
  // A new empty profile per run (playwright takes it as launchPersistentContext's first argument).
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  try {
    const page = await browser.newPage()
    const response = await page.goto(`${server.url}/`)
    assert.equal(response?.status(), 200)
    assert.equal(await page.title(), 'Coffre dashboard')
    // The page shows the health monitor's latest snapshot (taken every 10 s): reload until it has the new user.
    await eventually('the dashboard counts the new user', async () => {
      await page.reload()
      return /\b1\b/.test(await page.locator('#users').innerText()) ? true : undefined
    }, 30_000, 1_000)
    assert.match(await page.locator('#health').innerText(), /ready/)
    assert.match(await page.locator('#audit').innerText(), /intact/)
    assert.ok((await page.locator('#data-keys tbody tr').count()) >= 1)
    assert.match(await page.locator('#events').innerText(), /user\.create/)
    assert.match(await page.locator('#events').innerText(), /token\.create/)
    const artifacts = join(process.cwd(), 'test', 'artifacts')
    mkdirSync(artifacts, { recursive: true })
    await page.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true })
  } finally {
    await browser.close()
    rmSync(userDataDir, { recursive: true, force: true })
  }
})

test('SIGTERM drains and exits 0', async () => {
  const code = await server.stop('SIGTERM')
  assert.equal(code, 0, server.output())
})
