/**
 * EIP-712 typed-data signing. Input arrives as JSON over HTTP or the CLI, so integer fields may
 * be decimal (or 0x-hex) strings. The digest comes from the compiled-schema hasher
 * (typedDataHash.ts), which agrees with viem's `hashTypedData` byte for byte and checks every
 * field against its type. Malformed typed data is COFFRE_SIGNING_FAILED naming the field, never
 * an unhandled exception.
 */
import type { Hex } from 'viem'
import { CoffreError } from '../../errors.ts'
import { assertEvmPrivateKey, signDigestHex } from './signDigest.ts'
import { TypedDataError } from './typedDataError.ts'
import { hashTypedDataFields } from './typedDataHash.ts'

export interface TypedDataInput {
  domain?: Record<string, unknown>
  types: Record<string, readonly { name: string; type: string }[]>
  primaryType: string
  message?: Record<string, unknown>
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function signingFailed(reason: string, cause?: unknown): CoffreError {
  return new CoffreError('COFFRE_SIGNING_FAILED', `invalid typed data: ${reason}`, cause === undefined ? {} : { cause })
}

/** EIP-712 digest of JSON-ish typed data, or COFFRE_SIGNING_FAILED. */
export function hashTypedDataInput(typedData: TypedDataInput): Uint8Array {
  if (!isRecord(typedData)) throw signingFailed('expected an object with domain, types, primaryType and message')
  const { domain = {}, types, primaryType, message = {} } = typedData
  if (!isRecord(types)) throw signingFailed('types must be an object')
  if (typeof primaryType !== 'string') throw signingFailed('primaryType must be a string')
  if (!isRecord(domain) || !isRecord(message)) throw signingFailed('domain and message must be objects')
  if (primaryType !== 'EIP712Domain' && !Object.hasOwn(types, primaryType)) {
    throw signingFailed(`primaryType "${primaryType}" is not defined in types`)
  }
  try {
    return hashTypedDataFields({ domain, types, primaryType, message })
  } catch (error) {
    throw signingFailed(error instanceof TypedDataError ? error.message : 'could not be encoded', error)
  }
}

export function signTypedData(privateKey: Uint8Array, typedData: TypedDataInput): Hex {
  assertEvmPrivateKey(privateKey)
  return signDigestHex(privateKey, hashTypedDataInput(typedData))
}
