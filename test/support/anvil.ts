/**
 * Starts a real anvil (the binary shipped inside npm's `@foundry-rs/anvil`) on a free loopback
 * port for tests that need an EVM chain; `stop()` kills it. Options map to anvil's own flags.
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from './freePort.ts'

export type AnvilOptions = {
  readonly chainId?: number
  /** false: blocks are mined only on `evm_mine` (anvil's --no-mining), for stuck-transaction tests. */
  readonly automine?: boolean
  /** Seconds between blocks when set (anvil's --block-time). */
  readonly blockTime?: number
}

export type Anvil = { readonly url: string; readonly port: number; readonly chainId: number; stop(): Promise<void> }

export function anvilBinary(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('@foundry-rs/anvil-linux-amd64/package.json')), 'bin', 'anvil')
}

export async function startAnvil(options: AnvilOptions = {}): Promise<Anvil> {
  const port = await freePort()
  const chainId = options.chainId ?? 31337
  const args = ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(chainId), '--silent']
  if (options.automine === false) args.push('--no-mining')
  if (options.blockTime !== undefined) args.push('--block-time', String(options.blockTime))
  const child = spawn(anvilBinary(), args, { stdio: 'ignore' })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  }
  for (let i = 0; ; i++) {
    try {
      const reply = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }) })
      if (reply.ok) break
    } catch {
      // not listening yet
    }
    if (i > 200 || child.exitCode !== null) {
      await stop()
      throw new Error('anvil did not start')
    }
    await sleep(20)
  }
  return { url, port, chainId, stop }
}
