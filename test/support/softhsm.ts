/**
 * A throw-away SoftHSM2 token for tests: its own config and token directory under the OS temp dir.
 *
 * SoftHSM reads `SOFTHSM2_CONF` when the module is initialised (C_Initialize), so this test helper
 * sets it in `process.env` (core code never reads env; tests may). The PKCS#11 library is
 * process-global once initialised: create every token you need (`addToken`) before the first
 * provider opens, and use one `startSoftHsm()` per test file.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { copyFile, mkdtemp, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export const softHsmModule = '/usr/lib/softhsm/libsofthsm2.so'

export type SoftHsm = {
  readonly module: string
  readonly tokenLabel: string
  readonly pin: string
  readonly soPin: string
  /** A 0600 file holding the user PIN (for --pkcs11-pin-file). */
  readonly pinFile: string
  /** Path of the softhsm2.conf this instance wrote. */
  readonly conf: string
  /** Environment for child processes (e.g. the CLI) that must see the same tokens. */
  readonly env: Readonly<Record<string, string>>
  /** Initialises one more token in the same token directory; returns its label. */
  addToken(): Promise<string>
  /** Copies every token file aside, for `repairAfterKill`. */
  snapshot(): Promise<void>
  /**
   * SoftHSM's file backend rewrites a token's files in place (truncate, then write) even on
   * C_Login, so a `kill -9` of a client at that instant leaves an empty file and the token
   * vanishes — a defect of the simulator's storage, not of the client (a real HSM keeps its
   * state). Puts back, from the last snapshot, each file a kill left empty; returns their names.
   */
  repairAfterKill(): Promise<string[]>
  stop(): Promise<void>
}

export async function startSoftHsm(): Promise<SoftHsm> {
  const dir = await mkdtemp(join(tmpdir(), 'coffre-softhsm-'))
  const tokens = join(dir, 'tokens')
  await mkdir(tokens)
  const conf = join(dir, 'softhsm2.conf')
  await writeFile(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`)
  const previousConf = process.env.SOFTHSM2_CONF
  process.env.SOFTHSM2_CONF = conf
  const env = { SOFTHSM2_CONF: conf }
  const pin = '1234'
  const soPin = '5678'

  const addToken = async (): Promise<string> => {
    const label = `coffre-test-${randomBytes(4).toString('hex')}`
    await run('softhsm2-util', ['--init-token', '--free', '--label', label, '--so-pin', soPin, '--pin', pin], {
      env: { ...process.env, ...env },
    })
    return label
  }

  const saved = join(dir, 'snapshot')
  const tokenFiles = async (): Promise<string[]> => {
    const files: string[] = []
    for (const token of await readdir(tokens)) for (const file of await readdir(join(tokens, token))) files.push(join(token, file))
    return files
  }
  const snapshot = async (): Promise<void> => {
    await rm(saved, { recursive: true, force: true })
    for (const file of await tokenFiles()) {
      await mkdir(join(saved, file, '..'), { recursive: true })
      await copyFile(join(tokens, file), join(saved, file))
    }
  }
  const repairAfterKill = async (): Promise<string[]> => {
    const repaired: string[] = []
    for (const file of await tokenFiles()) {
      if (!file.endsWith('.object') || (await stat(join(tokens, file))).size > 0) continue
      const copy = join(saved, file)
      if ((await stat(copy).catch(() => undefined))?.size) {
        await copyFile(copy, join(tokens, file))
        repaired.push(file)
      }
    }
    return repaired
  }

  try {
    const tokenLabel = await addToken()
    const pinFile = join(dir, 'pin.txt')
    await writeFile(pinFile, pin, { mode: 0o600 })
    return {
      module: softHsmModule,
      tokenLabel,
      pin,
      soPin,
      pinFile,
      conf,
      env,
      addToken,
      snapshot,
      repairAfterKill,
      async stop() {
        if (previousConf === undefined) delete process.env.SOFTHSM2_CONF
        else process.env.SOFTHSM2_CONF = previousConf
        await rm(dir, { recursive: true, force: true })
      },
    }
  } catch (cause) {
    await rm(dir, { recursive: true, force: true })
    throw new Error('softhsm2-util could not initialise a test token (run scripts/setup-system.sh)', { cause })
  }
}
