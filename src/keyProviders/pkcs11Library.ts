/**
 * A PKCS#11 module is process-global once loaded: dlopen returns the same library to every
 * `PKCS11` instance, a second C_Initialize fails with CKR_CRYPTOKI_ALREADY_INITIALIZED, and
 * C_Finalize or C_Logout by one user pulls the ground from under every other. So the providers
 * share one initialised module per path and one login per token, counted here; the last one out
 * logs out and finalises. This is the only module-level state in the provider, and it mirrors
 * state the native library already holds.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import pkcs11js from 'pkcs11js'
import { CoffreError } from '../errors.ts'
import { pkcs11ReturnCode, providerFailed } from './pkcs11Errors.ts'

/**
 * A token stays logged in while any provider uses it, and C_Login then answers
 * CKR_USER_ALREADY_LOGGED_IN without looking at the PIN. So the first login keeps a keyed hash of
 * its PIN (the key is random and lives only in this process) and later opens must match it.
 */
type Login = { count: number; pinTag: Buffer }
type LoadedModule = { pkcs11: pkcs11js.PKCS11; users: number; logins: Map<string, Login> }

const pinTagKey = randomBytes(32)
const pinTag = (pin: string) => createHmac('sha256', pinTagKey).update(pin, 'utf8').digest()

const loaded = new Map<string, LoadedModule>()

export type Pkcs11Module = {
  readonly pkcs11: pkcs11js.PKCS11
  /** Logs `session`'s token in as the user unless another provider already did. */
  login(tokenKey: string, session: pkcs11js.Handle, pin: string): void
  /** Logs out through `session` when this was the token's last login. */
  logout(tokenKey: string, session: pkcs11js.Handle): void
  /** Finalises and unloads the module when this was its last user. */
  release(): void
}

export function acquirePkcs11Module(path: string): Pkcs11Module {
  let entry = loaded.get(path)
  if (entry === undefined) {
    const pkcs11 = new pkcs11js.PKCS11()
    try {
      pkcs11.load(path)
    } catch (cause) {
      throw providerFailed(`loading module ${path}`, cause)
    }
    try {
      // Without OS locking, concurrent async calls return CKR_GENERAL_ERROR and then segfault.
      pkcs11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK })
    } catch (cause) {
      if (pkcs11ReturnCode(cause) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
        pkcs11.close()
        throw providerFailed('C_Initialize', cause)
      }
    }
    entry = { pkcs11, users: 0, logins: new Map() }
    loaded.set(path, entry)
  }
  entry.users += 1
  const module = entry
  let released = false

  return {
    pkcs11: module.pkcs11,
    login(tokenKey, session, pin) {
      const login = module.logins.get(tokenKey)
      if (login !== undefined) {
        if (!timingSafeEqual(login.pinTag, pinTag(pin))) {
          throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', 'PKCS#11 login failed (the PIN differs from the one the token is logged in with)', {
            details: { provider: 'pkcs11', operation: 'login', ckr: 'CKR_PIN_INCORRECT' },
          })
        }
        login.count += 1
        return
      }
      try {
        module.pkcs11.C_Login(session, pkcs11js.CKU_USER, pin)
      } catch (cause) {
        if (pkcs11ReturnCode(cause) !== 'CKR_USER_ALREADY_LOGGED_IN') throw providerFailed('login', cause)
      }
      module.logins.set(tokenKey, { count: 1, pinTag: pinTag(pin) })
    },
    logout(tokenKey, session) {
      const login = module.logins.get(tokenKey)
      if (login !== undefined && login.count > 1) {
        login.count -= 1
        return
      }
      module.logins.delete(tokenKey)
      try {
        module.pkcs11.C_Logout(session)
      } catch {
        // Already logged out (e.g. the token was removed): nothing left to release.
      }
    },
    release() {
      if (released) return
      released = true
      module.users -= 1
      if (module.users > 0) return
      loaded.delete(path)
      try {
        module.pkcs11.C_Finalize()
      } finally {
        module.pkcs11.close()
      }
    },
  }
}
