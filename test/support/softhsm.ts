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
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
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
