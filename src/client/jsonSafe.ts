/**
 * Copies a value into what JSON can carry the way Coffre reads it: bigints as decimal strings,
 * Uint8Arrays as 0x-hex (EIP-712 `bytes`), other values as they are.
 */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

export const bytesToHex = (bytes: Uint8Array): string => {
  let out = '0x'
  for (const byte of bytes) out += HEX[byte]
  return out
}

export function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString(10)
  if (value instanceof Uint8Array) return bytesToHex(value)
  if (Array.isArray(value)) return value.map(jsonSafe)
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = jsonSafe(item)
    return out
  }
  return value
}
