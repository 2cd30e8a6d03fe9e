/**
 * The official @polymarket/clob-client-v2 (devDependency) set up as a test oracle: a viem
 * wallet client on a plain key (signing makes no network call) and helpers that pin the
 * client's clock and salt so its output is reproducible.
 */
import { createWalletClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { polygon, polygonAmoy } from 'viem/chains'

export function officialWallet(privateKeyHex: `0x${string}`, chainId: number) {
  return createWalletClient({
    account: privateKeyToAccount(privateKeyHex),
    chain: chainId === 137 ? polygon : polygonAmoy,
    transport: http('http://127.0.0.1:1'),
  })
}

/** Runs `fn` with Date.now() = nowMs and Math.random() = random (the client's salt is round(random × now)). */
export async function withPinnedClock<T>(nowMs: number, random: number, fn: () => Promise<T>): Promise<T> {
  const realNow = Date.now
  const realRandom = Math.random
  Date.now = () => nowMs
  Math.random = () => random
  try {
    return await fn()
  } finally {
    Date.now = realNow
    Math.random = realRandom
  }
}
