/**
 * EIP-712 atomic and dynamic field encoders: each writes the field's 32-byte word at `offset`.
 * Input is JSON-ish, so integers may be bigints, safe-integer numbers, or decimal or 0x-hex
 * strings; addresses follow viem's `isAddress` (lowercase, or mixed case with a valid EIP-55
 * checksum); `bytes`/`string` are hashed (keccak256 of the raw bytes, of the UTF-8 text).
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { isAddress } from 'viem'
import { describeValue, TypedDataError } from './typedDataError.ts'

export type WordEncoder = (out: Buffer, offset: number, value: unknown, depth: number) => void

const DECIMAL = /^-?[0-9]{1,100}$/
const HEX_QUANTITY = /^0x[0-9a-fA-F]{1,100}$/
const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/
const ADDRESS_SHAPE = /^0x[0-9a-fA-F]{40}$/
const TWO_256 = 1n << 256n

function toBigInt(type: string, value: unknown): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return BigInt(value)
    throw new TypedDataError(`expected ${type} as a safe integer, bigint or decimal string, got ${describeValue(value)}`)
  }
  if (typeof value === 'string' && (DECIMAL.test(value) || HEX_QUANTITY.test(value))) return BigInt(value)
  throw new TypedDataError(`expected ${type} as an integer (bigint, safe integer, decimal or 0x-hex string), got ${describeValue(value)}`)
}

/** `uint<bits>` / `int<bits>`: range-checked, two's complement over 256 bits for negatives. */
export function integerEncoder(type: string, bits: number, signed: boolean): WordEncoder {
  const max = (1n << BigInt(signed ? bits - 1 : bits)) - 1n
  const min = signed ? -max - 1n : 0n
  const maxSmall = bits > 53 ? Number.MAX_SAFE_INTEGER : Number(max)
  return (out, offset, value) => {
    if (typeof value === 'number' && value >= 0 && value <= maxSmall && Number.isInteger(value)) {
      out.writeUInt32BE(Math.floor(value / 0x1_0000_0000), offset + 24)
      out.writeUInt32BE(value >>> 0, offset + 28)
      return
    }
    const n = toBigInt(type, value)
    if (n < min || n > max) throw new TypedDataError(`${describeValue(value)} is out of range for ${type} (${min} to ${max})`)
    let hex = (n < 0n ? n + TWO_256 : n).toString(16)
    if (hex.length % 2 === 1) hex = `0${hex}`
    out.write(hex, offset + 32 - hex.length / 2, 'hex')
  }
}

export const encodeAddress: WordEncoder = (out, offset, value) => {
  if (typeof value !== 'string' || !isAddress(value)) {
    const why = typeof value === 'string' && ADDRESS_SHAPE.test(value) ? ' (mixed case with a wrong EIP-55 checksum)' : ''
    throw new TypedDataError(`invalid address ${describeValue(value)}${why}`)
  }
  out.write(value.slice(2), offset + 12, 'hex')
}

export const encodeBool: WordEncoder = (out, offset, value) => {
  if (typeof value !== 'boolean') throw new TypedDataError(`expected bool as true or false, got ${describeValue(value)}`)
  out[offset + 31] = value ? 1 : 0
}

/** `bytes1`..`bytes32`: exactly `size` bytes of 0x-hex, left-aligned in the word. */
export function fixedBytesEncoder(size: number): WordEncoder {
  const length = 2 + 2 * size
  return (out, offset, value) => {
    if (typeof value !== 'string' || value.length !== length || !HEX_BYTES.test(value)) {
      const got = typeof value === 'string' && HEX_BYTES.test(value) ? `${(value.length - 2) / 2} bytes` : describeValue(value)
      throw new TypedDataError(`expected bytes${size} as 0x-hex of exactly ${size} bytes, got ${got}`)
    }
    out.write(value.slice(2), offset, 'hex')
  }
}

export const encodeDynamicBytes: WordEncoder = (out, offset, value) => {
  if (value instanceof Uint8Array) return void out.set(keccak_256(value), offset)
  if (typeof value !== 'string' || !HEX_BYTES.test(value)) throw new TypedDataError(`expected bytes as 0x-hex (whole bytes), got ${describeValue(value)}`)
  out.set(keccak_256(Buffer.from(value.slice(2), 'hex')), offset)
}

export const encodeString: WordEncoder = (out, offset, value) => {
  if (typeof value !== 'string') throw new TypedDataError(`expected string, got ${describeValue(value)}`)
  out.set(keccak_256(Buffer.from(value, 'utf8')), offset)
}
