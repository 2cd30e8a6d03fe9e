/**
 * Worker-thread side of the wallet pool (a piscina task): creates `count` wallets and moves each
 * user's packed buffer to the main thread (transferred, so the worker keeps no copy).
 */
import { move, transferableSymbol, valueSymbol } from 'piscina'
import { isCoffreError } from '../errors.ts'
import type { MnemonicLength } from './entropy.ts'
import { packWalletMaterial, type PackedWalletMaterial } from './packedWalletMaterial.ts'
import { createWalletMaterial, wipeWalletMaterial } from './walletMaterial.ts'

export interface WalletJob {
  count: number
  words: MnemonicLength
}

export type WalletJobResult = { ok: true; items: PackedWalletMaterial[] } | { ok: false; code: string; message: string }

export default function createWallets(job: WalletJob): WalletJobResult {
  const items: PackedWalletMaterial[] = []
  try {
    for (let i = 0; i < job.count; i++) {
      const material = createWalletMaterial({ words: job.words })
      items.push(packWalletMaterial(material))
      wipeWalletMaterial(material)
    }
    // Piscina's transferable protocol: the value is posted with these buffers transferred.
    const result: WalletJobResult = { ok: true, items }
    return move({ [transferableSymbol]: items.map((item) => item.buffer), [valueSymbol]: result } as never) as unknown as WalletJobResult
  } catch (error) {
    for (const item of items) new Uint8Array(item.buffer).fill(0)
    return { ok: false, code: isCoffreError(error) ? error.code : 'COFFRE_INTERNAL', message: error instanceof Error ? error.message : 'wallet worker failed' }
  }
}
