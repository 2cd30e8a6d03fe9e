/**
 * Worker-thread side of the wallet pool: creates wallet material in chunks and transfers each
 * user's packed buffer to the main thread. Only the worker pool starts this module.
 */
import { parentPort } from 'node:worker_threads'
import { isCoffreError } from '../errors.ts'
import type { MnemonicLength } from './entropy.ts'
import { packWalletMaterial, type PackedWalletMaterial } from './packedWalletMaterial.ts'
import { createWalletMaterial, wipeWalletMaterial } from './walletMaterial.ts'

export interface WalletJob {
  id: number
  count: number
  words: MnemonicLength
}

export type WalletJobResult =
  | { id: number; ok: true; items: PackedWalletMaterial[] }
  | { id: number; ok: false; code: string; message: string }

const port = parentPort
if (port === null) throw new Error('walletWorker.ts runs only inside a worker thread')

port.on('message', (job: WalletJob) => {
  const items: PackedWalletMaterial[] = []
  try {
    for (let i = 0; i < job.count; i++) {
      const material = createWalletMaterial({ words: job.words })
      items.push(packWalletMaterial(material))
      wipeWalletMaterial(material)
    }
    const result: WalletJobResult = { id: job.id, ok: true, items }
    port.postMessage(result, items.map((item) => item.buffer))
  } catch (error) {
    for (const item of items) new Uint8Array(item.buffer).fill(0)
    const result: WalletJobResult = {
      id: job.id,
      ok: false,
      code: isCoffreError(error) ? error.code : 'COFFRE_INTERNAL',
      message: error instanceof Error ? error.message : 'wallet worker failed',
    }
    port.postMessage(result)
  }
})
