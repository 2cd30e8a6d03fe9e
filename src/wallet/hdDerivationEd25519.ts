/**
 * SLIP-10 private derivation for ed25519: HMAC-SHA512 from node:crypto with the key "ed25519 seed",
 * hardened steps only, every 32-byte IL a valid key. Each intermediate key, chain code and I is
 * wiped as soon as the next level exists.
 * Test oracles: SLIP-10 ed25519 vectors and `ed25519-hd-key` (test/wallet).
 */
import { createHmac } from 'node:crypto'
import { invalidInput } from '../errors.ts'
import { assertBytes } from './assertBytes.ts'
import { isHardened, parseDerivationPath } from './hdPath.ts'

export interface Slip10Node {
  key: Uint8Array
  chainCode: Uint8Array
}

const masterHmacKey = Buffer.from('ed25519 seed', 'utf8')

function nodeFromHmac(I: Buffer): Slip10Node {
  const node = { key: new Uint8Array(I.subarray(0, 32)), chainCode: new Uint8Array(I.subarray(32)) }
  I.fill(0)
  return node
}

/** SLIP-10 ed25519 private derivation of `seed` along a hardened path such as m/44'/501'/0'/0'. */
export function deriveSlip10Ed25519(seed: Uint8Array, path: string): Slip10Node {
  assertBytes(seed, 'seed')
  if (seed.length < 16 || seed.length > 64) throw invalidInput('seed must be 16 to 64 bytes long')
  const indices = parseDerivationPath(path)
  if (!indices.every(isHardened)) throw invalidInput(`SLIP-10 ed25519 only derives hardened indices, got "${path}"`)
  let node = nodeFromHmac(createHmac('sha512', masterHmacKey).update(seed).digest())
  const data = new Uint8Array(37) // 0x00 ‖ ser256(kpar) ‖ ser32(i)
  const view = new DataView(data.buffer)
  try {
    for (const index of indices) {
      data.set(node.key, 1)
      view.setUint32(33, index)
      const I = createHmac('sha512', node.chainCode).update(data).digest()
      node.key.fill(0)
      node.chainCode.fill(0)
      node = nodeFromHmac(I)
    }
  } finally {
    data.fill(0)
  }
  return node
}
