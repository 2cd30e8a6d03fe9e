/**
 * The EIP-712 ClobAuth message Polymarket's L1 authentication signs
 * (domain ClobAuthDomain v1, no verifying contract).
 */
import { hashTypedData } from 'viem'
import type { Hex } from './evmSigner.ts'

export const CLOB_AUTH_MESSAGE = 'This message attests that I control the given wallet'

export const clobAuthTypes = {
  ClobAuth: [
    { name: 'address', type: 'address' },
    { name: 'timestamp', type: 'string' },
    { name: 'nonce', type: 'uint256' },
    { name: 'message', type: 'string' },
  ],
} as const

export function clobAuthTypedData(args: { address: Hex; chainId: number; timestamp: string; nonce: bigint }) {
  return {
    domain: { name: 'ClobAuthDomain', version: '1', chainId: args.chainId },
    types: clobAuthTypes,
    primaryType: 'ClobAuth' as const,
    message: { address: args.address, timestamp: args.timestamp, nonce: args.nonce, message: CLOB_AUTH_MESSAGE },
  }
}

export function hashClobAuth(args: { address: Hex; chainId: number; timestamp: string; nonce: bigint }): Hex {
  return hashTypedData(clobAuthTypedData(args))
}
