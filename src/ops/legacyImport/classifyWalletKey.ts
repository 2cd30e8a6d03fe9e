/**
 * Classifies one legacy private-key value against the address stored beside it: first by
 * authenticating it with the legacy key, else by reading it as a plaintext key that re-derives the
 * address. The forms the seed system wrote: EVM hex with 0x, without, or with the doubled 0x0x one
 * of its repair scripts left; Solana base58 of 64 bytes, base58 or hex of the 32-byte seed, hex of
 * the 64 bytes, or the Solana CLI JSON array. Each is accepted only when the key re-derives the
 * stored address. Anything else is quarantined with a reason — never guessed.
 */
import { base58 } from '@scure/base'
import { getAddress } from 'viem'
import { evmAddressFromPrivateKey } from '../../wallet/evmAddress.ts'
import { parseEvmPrivateKey } from '../../wallet/evmKeyText.ts'
import { solanaAddressFromSecretKey } from '../../wallet/solanaAccount.ts'
import { parseSolanaSecretKey } from '../../wallet/solanaKeyText.ts'
import { looksLikeLegacyCiphertext, NOT_AUTHENTICATED, openLegacyValue } from './legacyCipher.ts'

export { NOT_AUTHENTICATED }

export type Chain = 'polygon' | 'solana'
export type KeySource = 'legacy-encrypted' | 'plaintext'
export type ClassifiedKey =
  | { readonly ok: true; readonly privateKey: Uint8Array; readonly address: string; readonly source: KeySource; readonly format: string }
  | { readonly ok: false; readonly reason: string }

type Parsed = { key: Uint8Array; format: string } | null

function parsePolygon(text: string): Parsed {
  const trimmed = text.trim()
  // A repair script of the seed system wrote '0x' + a key that already had it: 0x0x<64 hex>.
  const doubled = /^0x0x[0-9a-fA-F]{64}$/.test(trimmed)
  try {
    return { key: parseEvmPrivateKey(doubled ? trimmed.slice(2) : trimmed), format: doubled ? 'hex-0x0x' : /^0x/i.test(trimmed) ? 'hex-0x' : 'hex' }
  } catch {
    return null
  }
}

function parseSolana(text: string): Parsed {
  const trimmed = text.trim()
  if (trimmed.startsWith('[')) {
    try {
      return { key: parseSolanaSecretKey(trimmed), format: 'json-array' }
    } catch {
      return null
    }
  }
  // The seed's Solana wallet manager stored hex of the 32-byte seed (solders' Keypair.secret()).
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return { key: new Uint8Array(Buffer.from(trimmed, 'hex')), format: 'hex-seed' }
  if (/^[0-9a-fA-F]{128}$/.test(trimmed)) {
    const keypair = new Uint8Array(Buffer.from(trimmed, 'hex'))
    try {
      return { key: parseSolanaSecretKey(base58.encode(keypair)), format: 'hex-keypair' }
    } catch {
      return null
    } finally {
      keypair.fill(0)
    }
  }
  let bytes: Uint8Array
  try {
    bytes = base58.decode(trimmed)
  } catch {
    return null
  }
  if (bytes.length === 32) return { key: bytes, format: 'base58-seed' }
  bytes.fill(0)
  try {
    return { key: parseSolanaSecretKey(trimmed), format: 'base58-keypair' }
  } catch {
    return null
  }
}

function normalizeAddress(chain: Chain, address: string): string | null {
  if (chain === 'solana') return /^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(address) ? address : null
  return /^0x[0-9a-fA-F]{40}$/.test(address) ? getAddress(address) : null
}

function matchAddress(chain: Chain, parsed: Parsed, expected: string): { key: Uint8Array; format: string } | 'mismatch' | null {
  if (parsed === null) return null
  const derived = chain === 'polygon' ? evmAddressFromPrivateKey(parsed.key) : solanaAddressFromSecretKey(parsed.key)
  if (derived === expected) return parsed
  parsed.key.fill(0)
  return 'mismatch'
}

export function classifyWalletKey(chain: Chain, value: string | null | undefined, storedAddress: string | null | undefined, legacyKey: Uint8Array): ClassifiedKey {
  if (typeof value !== 'string' || value.trim() === '') return { ok: false, reason: 'missing' }
  if (typeof storedAddress !== 'string' || storedAddress === '') return { ok: false, reason: 'no stored address to verify the key against' }
  const address = normalizeAddress(chain, storedAddress.trim())
  if (address === null) return { ok: false, reason: 'the stored address is not a valid address' }
  const parse = chain === 'polygon' ? parsePolygon : parseSolana
  const decrypted = openLegacyValue(legacyKey, value.trim())
  if (decrypted !== null) {
    const text = Buffer.from(decrypted).toString('utf8')
    decrypted.fill(0)
    const match = matchAddress(chain, parse(text), address)
    if (match === null) return { ok: false, reason: 'decrypts with the legacy key but is not a private key' }
    if (match === 'mismatch') return { ok: false, reason: 'decrypts with the legacy key but does not derive the stored address' }
    return { ok: true, privateKey: match.key, address, source: 'legacy-encrypted', format: match.format }
  }
  const match = matchAddress(chain, parse(value), address)
  if (match === 'mismatch') return { ok: false, reason: 'a plaintext key that does not derive the stored address' }
  if (match !== null) return { ok: true, privateKey: match.key, address, source: 'plaintext', format: match.format }
  if (looksLikeLegacyCiphertext(value.trim())) return { ok: false, reason: NOT_AUTHENTICATED }
  return { ok: false, reason: 'neither legacy-encrypted nor a recognised plaintext key' }
}
