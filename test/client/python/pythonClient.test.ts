/**
 * The Python client's pytest suite (clients/python/tests) as part of the Node run, so `npm test`
 * and CI (.ci/run) run it: scripts/test-python.sh installs the package into a fresh virtualenv of
 * Debian's python3 without any package index and runs pytest against a real `coffre serve`.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

test('clients/python: pip install without an index, then pytest against coffre serve', { timeout: 15 * 60_000 }, async () => {
  const child = spawn('bash', ['scripts/test-python.sh', '-rfE'], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  assert.equal(code, 0, `pytest failed:\n${output.slice(-20_000)}`)
  const summary = /(\d+) passed/.exec(output)
  assert.ok(summary && Number(summary[1]) >= 30, `pytest ran the suite: ${output.slice(-2_000)}`)
  assert.doesNotMatch(output, /\d+ (failed|error)/)
})
