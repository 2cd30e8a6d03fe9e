/**
 * The `pkcs11` root-key provider: the KEK is an AES-256 key generated on an HSM token, sensitive and
 * non-extractable; Coffre only asks the token to wrap and unwrap data keys (RFC 5649 key wrap), and
 * binds each wrapped DEK to its id (see pkcs11WrappedKey.ts).
 */
import { randomBytes } from 'node:crypto'
import pkcs11js from 'pkcs11js'
import { CoffreError } from '../errors.ts'
import type { DataKeyContext, KeyProvider } from './keyProvider.ts'
import { unwrapOnToken, wrapOnToken } from './pkcs11DataKey.ts'
import { providerFailed } from './pkcs11Errors.ts'
import { acquirePkcs11Module } from './pkcs11Library.ts'
import { openRootKey } from './pkcs11RootKey.ts'
import { createSessionPool } from './pkcs11SessionPool.ts'
import { findTokenSlot, pkcs11KeyUri } from './pkcs11Token.ts'
import { parseWrappedDataKey, sealWrappedDataKey, verifyDataKeyBinding } from './pkcs11WrappedKey.ts'

export type Pkcs11ProviderConfig = {
  /** Path of the PKCS#11 module, e.g. `/usr/lib/softhsm/libsofthsm2.so`. */
  readonly module: string
  readonly tokenLabel: string
  /** The user PIN; used once for C_Login and not kept. */
  readonly pin: Uint8Array | string
  readonly keyLabel: string
  /** Generate the root key on the token when no key has `keyLabel` (first set-up only). */
  readonly createKey?: boolean
  /** Sessions kept for concurrent wraps and unwraps (default 8). */
  readonly sessions?: number
}

const dataKeyBytes = 32

function assertConfig(config: Pkcs11ProviderConfig): void {
  const text = (name: keyof Pkcs11ProviderConfig, max: number) => {
    const value = config[name]
    if (typeof value !== 'string' || value.length === 0 || value.length > max) {
      throw new CoffreError('COFFRE_INVALID_CONFIG', `pkcs11 ${name} must be a non-empty string of at most ${max} characters`)
    }
  }
  if (typeof config !== 'object' || config === null) throw new CoffreError('COFFRE_INVALID_CONFIG', 'pkcs11 config must be an object')
  text('module', 4096)
  text('tokenLabel', 32)
  text('keyLabel', 256)
  if (!(typeof config.pin === 'string' || config.pin instanceof Uint8Array) || config.pin.length === 0) {
    throw new CoffreError('COFFRE_INVALID_CONFIG', 'pkcs11 pin must be a non-empty string or byte array')
  }
  const sessions = config.sessions ?? 8
  if (!Number.isInteger(sessions) || sessions < 1 || sessions > 256) {
    throw new CoffreError('COFFRE_INVALID_CONFIG', 'pkcs11 sessions must be an integer from 1 to 256')
  }
}

function assertContext(context: DataKeyContext): string {
  const id: unknown = context?.dataKeyId
  if (typeof id !== 'string') throw new TypeError('context.dataKeyId must be a string')
  if (id.length === 0 || Buffer.byteLength(id) > 1024) throw new CoffreError('COFFRE_INVALID_INPUT', 'context.dataKeyId must be 1 to 1024 bytes')
  return id
}

function assertDataKey(plaintext: Uint8Array): void {
  if (!(plaintext instanceof Uint8Array)) throw new TypeError('data key must be a Uint8Array')
  if (plaintext.length !== dataKeyBytes) throw new CoffreError('COFFRE_INVALID_INPUT', `data key must be ${dataKeyBytes} bytes`)
}

export async function openPkcs11Provider(config: Pkcs11ProviderConfig): Promise<KeyProvider> {
  assertConfig(config)
  const { tokenLabel, keyLabel } = config
  const module = acquirePkcs11Module(config.module)
  const { pkcs11 } = module
  const openSession = () => {
    try {
      return pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION)
    } catch (cause) {
      throw providerFailed('C_OpenSession', cause)
    }
  }
  const closeSession = (session: pkcs11js.Handle) => {
    try {
      pkcs11.C_CloseSession(session)
    } catch {
      // The session is gone already; its objects went with it.
    }
  }

  let slot: pkcs11js.Handle
  let main: pkcs11js.Handle | undefined
  let loggedIn = false
  let rootKey: ReturnType<typeof openRootKey>
  const tokenKey = () => `${tokenLabel}\u0000${slot.toString('hex')}`
  try {
    slot = findTokenSlot(pkcs11, tokenLabel)
    main = openSession()
    module.login(tokenKey(), main, typeof config.pin === 'string' ? config.pin : Buffer.from(config.pin).toString('utf8'))
    loggedIn = true
    rootKey = openRootKey(pkcs11, main, { keyLabel, tokenLabel, createKey: config.createKey === true })
  } catch (error) {
    if (main !== undefined) {
      if (loggedIn) module.logout(tokenKey(), main)
      closeSession(main)
    }
    module.release()
    throw error
  }

  const mainSession = main
  const pool = createSessionPool({
    size: config.sessions ?? 8,
    open: openSession,
    close: closeSession,
    discards: (error) => error instanceof CoffreError && error.code === 'COFFRE_KEY_PROVIDER_FAILED',
    closedError: () => new CoffreError('COFFRE_KEY_PROVIDER_FAILED', 'The pkcs11 key provider is closed'),
  })
  let closed: Promise<void> | undefined

  const wrapDataKey = async (plaintext: Uint8Array, context: DataKeyContext): Promise<Uint8Array> => {
    assertDataKey(plaintext)
    const dataKeyId = assertContext(context)
    const dek = plaintext.slice()
    try {
      const kwp = await pool.use((session) => wrapOnToken(pkcs11, session, rootKey.key, dek))
      return sealWrappedDataKey(kwp, dek, dataKeyId)
    } finally {
      dek.fill(0)
    }
  }

  return {
    info: {
      kind: 'pkcs11',
      keyRef: pkcs11KeyUri(tokenLabel, keyLabel),
      details: {
        module: config.module,
        tokenLabel,
        keyLabel,
        wrapMechanism: 'CKM_AES_KEY_WRAP_PAD',
        ...(rootKey.checkValue === undefined ? {} : { checkValue: rootKey.checkValue }),
        ...(rootKey.created ? { created: 'true' } : {}),
      },
    },
    async generateDataKey(context) {
      assertContext(context)
      const plaintext = new Uint8Array(randomBytes(dataKeyBytes))
      try {
        return { plaintext, wrapped: await wrapDataKey(plaintext, context) }
      } catch (error) {
        plaintext.fill(0)
        throw error
      }
    },
    wrapDataKey,
    async unwrapDataKey(wrapped, context) {
      if (!(wrapped instanceof Uint8Array)) throw new TypeError('wrapped data key must be a Uint8Array')
      const dataKeyId = assertContext(context)
      const { kwp, tag } = parseWrappedDataKey(wrapped)
      const dek = await pool.use((session) => unwrapOnToken(pkcs11, session, rootKey.key, kwp))
      try {
        if (dek.length !== dataKeyBytes) {
          throw new CoffreError('COFFRE_ROOT_KEY_INVALID', `The unwrapped data key has ${dek.length} bytes, expected ${dataKeyBytes}`)
        }
        verifyDataKeyBinding(dek, dataKeyId, kwp, tag)
        return dek
      } catch (error) {
        dek.fill(0)
        throw error
      }
    },
    close() {
      closed ??= (async () => {
        await pool.close()
        module.logout(tokenKey(), mainSession)
        closeSession(mainSession)
        module.release()
      })()
      return closed
    },
  }
}
