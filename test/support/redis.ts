/**
 * Starts a throwaway redis-server on a free loopback port in a temp dir (no persistence) for
 * tests that need a real Redis; `stop()` shuts it down and removes the dir.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { freePort } from './freePort.ts'

const run = promisify(execFile)


export async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'coffre-redis-'))
  const port = await freePort()
  await run('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--pidfile', join(dir, 'redis.pid'), '--dir', dir])
  for (let i = 0; ; i++) {
    try {
      const { stdout } = await run('redis-cli', ['-p', String(port), 'ping'])
      if (stdout.trim() === 'PONG') break
    } catch {
      // not up yet
    }
    if (i > 100) throw new Error('redis-server did not start')
    await sleep(20)
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await run('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).catch(() => undefined)
      await rm(dir, { recursive: true, force: true })
    },
  }
}
