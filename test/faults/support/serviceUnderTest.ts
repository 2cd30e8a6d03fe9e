/**
 * A real `coffre serve` on a fault vault, with four users, a token that may sign and create users,
 * and the running record of what its clients were told: signatures per user (cumulative over every
 * load run) and acknowledged users. `check` holds the vault to that record after a fault.
 */
import { verifyMessage } from 'viem'
import { openStore, type Store } from '../../../src/store/openStore.ts'
import { startServe, type ServeProcess } from '../../http/serveProcess.ts'
import { AddressLedger } from './addressLedger.ts'
import { auditedSignatures, unauditedSignatures } from './auditedSignatures.ts'
import { checkVault, type VaultCheck } from './checkVault.ts'
import type { FaultVault } from './faultVault.ts'
import type { LoadResult, LoadUser } from './signingLoad.ts'
import { seedUsers } from './seedUsers.ts'

export type ServiceUnderTest = {
  readonly fv: FaultVault
  readonly token: string
  readonly users: readonly LoadUser[]
  readonly ledger: AddressLedger
  /** The running server (replaced by `start`). */
  readonly server: ServeProcess
  start(extraArgs?: readonly string[]): Promise<ServeProcess>
  /** SIGKILL: the server dies at once. */
  kill(): Promise<void>
  /** One signature request; its HTTP status (0: no answer within 15 s or no connection). */
  signOnce(message: string): Promise<number>
  /** Polls until a signature succeeds (true) or 30 s pass (false). */
  waitForService(): Promise<boolean>
  /**
   * Records a load run's acknowledgements and checks the vault against everything acknowledged so
   * far: signatures audited, sampled signatures valid, users exported, doctor, audit verify.
   */
  check(result: LoadResult): Promise<VaultCheck>
  close(): Promise<void>
}

export async function serviceUnderTest(fv: FaultVault, options: { start?: boolean; serveArgs?: readonly string[] } = {}): Promise<ServiceUnderTest> {
  let probe: Store | undefined
  let server: ServeProcess | undefined
  try {
    const ledger = new AddressLedger()
    const users: LoadUser[] = await seedUsers(fv.config, ledger, 900, 4)
    const created = await fv.cli(['tokens', 'create', '--policy', 'allow-all', '--scopes', 'users:read,users:write,sign', '--name', 'load', '--json'])
    if (created.code !== 0) throw new Error(`tokens create failed: ${created.stderr}`)
    const token = created.json.token as string
    probe = await openStore(fv.config.store, { migrate: false })
    const acknowledged = new Map<string, number>()
    const start = async (extraArgs: readonly string[] = options.serveArgs ?? []) => (server = await startServe([...fv.args, ...extraArgs]))
    if (options.start !== false) await start()
    const signOnce = async (message: string) => {
      try {
        const response = await fetch(`${server!.url}/v1/users/${users[0]!.id}/sign/message`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ chain: 'polygon', message }),
          signal: AbortSignal.timeout(15_000),
        })
        await response.arrayBuffer()
        if (response.status === 200) acknowledged.set(users[0]!.id, (acknowledged.get(users[0]!.id) ?? 0) + 1)
        return response.status
      } catch {
        return 0
      }
    }
    const store = probe
    return {
      fv,
      token,
      users,
      ledger,
      get server() {
        if (server === undefined) throw new Error('the server is not running')
        return server
      },
      start,
      async kill() {
        await server?.stop('SIGKILL')
        server = undefined
      },
      signOnce,
      async waitForService() {
        for (const started = Date.now(); Date.now() - started < 30_000; ) {
          if ((await signOnce('waiting for the service')) === 200) return true
          await new Promise((r) => setTimeout(r, 100))
        }
        return false
      },
      async check(result) {
        for (const [userId, n] of result.signed) acknowledged.set(userId, (acknowledged.get(userId) ?? 0) + n)
        for (const user of result.created) ledger.acknowledge(user)
        const lost = unauditedSignatures(acknowledged, await auditedSignatures(store.db, users.map((u) => u.id)))
        for (const s of result.samples) {
          if (!(await verifyMessage({ address: s.address as `0x${string}`, message: s.message, signature: s.signature }))) lost.push(`a returned signature does not verify for ${s.address}`)
        }
        const check = await checkVault(fv.config, ledger)
        return { ...check, lost: [...lost, ...check.lost] }
      },
      async close() {
        await server?.stop('SIGKILL')
        await store.close()
        await fv.cleanup()
      },
    }
  } catch (error) {
    await server?.stop('SIGKILL')
    await probe?.close()
    await fv.cleanup()
    throw error
  }
}
