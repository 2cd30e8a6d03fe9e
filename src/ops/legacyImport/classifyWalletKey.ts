/**
 * Classifies one legacy private-key value against the address stored beside it: first by
 * authenticating it with the legacy key, else by reading it as a plaintext key that re-derives the
 * address (EVM hex with or without 0x; Solana base58 of 64 bytes, base58 of a 32-byte seed, or the
 * Solana CLI JSON array). Anything else is quarantined with a reason — never guessed.
 */
import { base58 } from '@scure/base'
import { getAddress } from 'viem'
import { evmAddressFromPrivateKey } from '../../wallet/evmAddress.ts'
import { parseEvmPrivateKey } from '../../wallet/evmKeyText.ts'
import { solanaAddressFromSecretKey } from '../../wallet/solanaAccount.ts'
import { parseSolanaSecretKey } from '../../wallet/solanaKeyText.ts'
import { looksLikeLegacyCiphertext, openLegacyValue } from './legacyCipher.ts'

export type Chain = 'polygon' | 'solana'
export type KeySource = 'legacy-encrypted' | 'plaintext'
export type ClassifiedKey =
  | { readonly ok: true; readonly privateKey: Uint8Array; readonly address: string; readonly source: KeySource; readonly format: string }
  | { readonly ok: false; readonly reason: string }

type Parsed = { key: Uint8Array; format: string } | null

function parsePolygon(text: string): Parsed {
  try {
    return { key: parseEvmPrivateKey(text), format: /^\s*0x/i.test(text) ? 'hex-0x' : 'hex' }
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
  if (looksLikeLegacyCiphertext(value.trim())) return { ok: false, reason: 'does not authenticate with the legacy key (encrypted under another key, or corrupted)' }
  return { ok: false, reason: 'neither legacy-encrypted nor a recognised plaintext key' }
}
