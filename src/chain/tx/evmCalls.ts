/**
 * The calls Coffre sends on Polygon, as plain { to, value, data }: ERC-20 approve and transfer,
 * ERC-1155 setApprovalForAll (Conditional Tokens), native transfer, and the CollateralOnramp's
 * wrap(asset, to, amount) that turns USDC.e into pUSD. Encoding is viem's.
 */
import { encodeFunctionData, erc20Abi, getAddress, type Address, type Hex } from 'viem'

export type EvmCall = Readonly<{ to: Address; value: bigint; data: Hex }>

export const erc1155ApprovalAbi = [
  { type: 'function', name: 'setApprovalForAll', stateMutability: 'nonpayable', inputs: [{ name: 'operator', type: 'address' }, { name: 'approved', type: 'bool' }], outputs: [] },
  { type: 'function', name: 'isApprovedForAll', stateMutability: 'view', inputs: [{ name: 'account', type: 'address' }, { name: 'operator', type: 'address' }], outputs: [{ name: '', type: 'bool' }] },
] as const

export const collateralOnrampAbi = [
  { type: 'function', name: 'wrap', stateMutability: 'nonpayable', inputs: [{ name: 'asset', type: 'address' }, { name: 'to', type: 'address' }, { name: 'amount', type: 'uint256' }], outputs: [] },
] as const

export const MAX_UINT256 = (1n << 256n) - 1n

export const erc20ApproveCall = (token: Address, spender: Address, amount: bigint): EvmCall => ({
  to: getAddress(token),
  value: 0n,
  data: encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [getAddress(spender), amount] }),
})

export const erc20TransferCall = (token: Address, to: Address, amount: bigint): EvmCall => ({
  to: getAddress(token),
  value: 0n,
  data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [getAddress(to), amount] }),
})

export const setApprovalForAllCall = (conditionalTokens: Address, operator: Address, approved: boolean): EvmCall => ({
  to: getAddress(conditionalTokens),
  value: 0n,
  data: encodeFunctionData({ abi: erc1155ApprovalAbi, functionName: 'setApprovalForAll', args: [getAddress(operator), approved] }),
})

export const nativeTransferCall = (to: Address, amount: bigint): EvmCall => ({ to: getAddress(to), value: amount, data: '0x' })

export const onrampWrapCall = (onramp: Address, asset: Address, to: Address, amount: bigint): EvmCall => ({
  to: getAddress(onramp),
  value: 0n,
  data: encodeFunctionData({ abi: collateralOnrampAbi, functionName: 'wrap', args: [getAddress(asset), getAddress(to), amount] }),
})
