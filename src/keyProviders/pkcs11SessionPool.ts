/**
 * A small pool of PKCS#11 sessions. A session runs one operation at a time (PKCS#11 sessions are
 * not re-entrant), so concurrent wraps and unwraps each borrow their own; with CKF_OS_LOCKING_OK the
 * module runs them in parallel on the libuv pool. Sessions open lazily up to `size`; callers beyond
 * that wait in order. A session whose operation failed at the provider level is closed, not reused.
 */
import type pkcs11js from 'pkcs11js'

export type SessionPool = {
  use<T>(operation: (session: pkcs11js.Handle) => Promise<T>): Promise<T>
  /** Waits for borrowed sessions to come back, then closes them all. Later `use` calls reject. */
  close(): Promise<void>
}

export function createSessionPool(options: {
  size: number
  open: () => pkcs11js.Handle
  close: (session: pkcs11js.Handle) => void
  /** Whether an error leaves the session unusable (e.g. CKR_SESSION_HANDLE_INVALID). */
  discards: (error: unknown) => boolean
  closedError: () => Error
}): SessionPool {
  const idle: pkcs11js.Handle[] = []
  const waiters: { resolve: (session: pkcs11js.Handle) => void; reject: (error: unknown) => void }[] = []
  let opened = 0
  let closing = false
  let drained: (() => void) | undefined

  const acquire = async (): Promise<pkcs11js.Handle> => {
    const session = idle.pop()
    if (session !== undefined) return session
    if (opened < options.size) {
      const fresh = options.open()
      opened += 1
      return fresh
    }
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }))
  }

  const release = (session: pkcs11js.Handle, reusable: boolean): void => {
    if (!reusable) {
      opened -= 1
      options.close(session)
      // A waiter, if any, gets a fresh session opened on its behalf.
      const waiter = waiters.shift()
      if (waiter !== undefined) {
        try {
          waiter.resolve(options.open())
          opened += 1
        } catch (error) {
          waiter.reject(error)
        }
      }
    } else {
      const waiter = waiters.shift()
      if (waiter !== undefined) return waiter.resolve(session)
      idle.push(session)
    }
    if (closing && idle.length === opened) drained?.()
  }

  return {
    async use(operation) {
      if (closing) throw options.closedError()
      const session = await acquire()
      let reusable = true
      try {
        return await operation(session)
      } catch (error) {
        reusable = !options.discards(error)
        throw error
      } finally {
        release(session, reusable)
      }
    },
    async close() {
      closing = true
      if (idle.length < opened) await new Promise<void>((resolve) => (drained = resolve))
      for (const session of idle.splice(0)) options.close(session)
      opened = 0
    },
  }
}
