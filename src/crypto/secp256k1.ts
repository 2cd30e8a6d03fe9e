/**
 * libsecp256k1 through the `secp256k1` package's native binding, loaded explicitly.
 * `require('secp256k1')` silently falls back to pure-JS `elliptic` when the addon fails to load
 * (about 10× slower); Coffre refuses that fallback instead of running slowly without notice.
 */
import { createRequire } from 'node:module'
import type * as Secp256k1 from 'secp256k1'

const require = createRequire(import.meta.url)

function loadNativeSecp256k1(): typeof Secp256k1 {
  try {
    return require('secp256k1/bindings') as typeof Secp256k1
  } catch (cause) {
    throw new Error('The native libsecp256k1 binding (secp256k1/bindings) failed to load; reinstall with `npm ci`', { cause })
  }
}

export const secp256k1 = loadNativeSecp256k1()
