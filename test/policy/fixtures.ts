/** Shared fixtures for policy tests: users, addresses, and request builders over real encoders. */
import { encodeFunctionData, erc20Abi, parseAbi, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { PolicyRequest } from '../../src/policy/request.ts'

export const USER_KEY: Hex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
export const USER_EOA = privateKeyToAccount(USER_KEY).address
export const ATTACKER = '0x000000000000000000000000000000000000dEaD'
export const ALLOWED = '0x2222222222222222222222222222222222222222'
export const PUSD = '0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB'
export const USDC_E = '0x2791Bca1f2de4661ED88A30C99A7a9449Aa84174'
export const CTF = '0x4D97DCd97eC945f40cF65F87097ACe5EA0476045'
export const EXCHANGE = '0xE111180000d2663C0091e4f400237545B87B996B'
export const NEG_RISK_EXCHANGE = '0xe2222d279d744050d28e00520010520000310F59'
export const NEG_RISK_ADAPTER = '0xd91E80cF2E7be2e162c6513ceD06f1dD0dA35296'
export const MAX_UINT256 = (1n << 256n) - 1n
export const NOW = Date.UTC(2026, 5, 1, 12, 0, 0)

export const userFor = (polygonAddress: string, extra: Record<string, unknown> = {}) => ({ id: 'user-1', polygonAddress, withdrawalAllowlist: [ALLOWED], ...extra })

export function evmTx(fields: { chainId: number; to: string; value?: bigint; data?: Hex }): PolicyRequest {
  return {
    operation: 'sign.evm-transaction',
    transaction: { chainId: fields.chainId, to: fields.to, value: (fields.value ?? 0n).toString(), data: fields.data ?? '0x', nonce: 0, gas: 100000, maxFeePerGas: '30000000000', maxPriorityFeePerGas: '30000000000' },
  }
}

export const transferData = (to: string, amount: bigint) => encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to as Hex, amount] })
export const approveData = (spender: string, amount: bigint) => encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [spender as Hex, amount] })
export const approvalForAllData = (operator: string, approved: boolean) =>
  encodeFunctionData({ abi: parseAbi(['function setApprovalForAll(address operator, bool approved)']), functionName: 'setApprovalForAll', args: [operator as Hex, approved] })

/** An EIP-2612 permit as a dapp would ask to sign it. */
export function permitTypedData(args: { token: string; owner: string; spender: string; value: bigint; deadline: bigint; chainId?: number }): PolicyRequest {
  return {
    operation: 'sign.typed-data',
    typedData: {
      domain: { name: 'USD Coin', version: '2', chainId: args.chainId ?? 137, verifyingContract: args.token },
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' }, { name: 'version', type: 'string' }, { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' },
        ],
        Permit: [
          { name: 'owner', type: 'address' }, { name: 'spender', type: 'address' }, { name: 'value', type: 'uint256' }, { name: 'nonce', type: 'uint256' }, { name: 'deadline', type: 'uint256' },
        ],
      },
      primaryType: 'Permit',
      message: { owner: args.owner, spender: args.spender, value: args.value.toString(), nonce: '0', deadline: args.deadline.toString() },
    },
  }
}
