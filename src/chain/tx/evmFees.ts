/**
 * EIP-1559 fees under the configured caps. The estimate is the latest base fee × 2 plus the
 * node's suggested tip (eth_maxPriorityFeePerGas), the tip clamped to its cap and the fee cap to
 * `maxFeePerGas`; if base fee + tip alone exceeds the cap the transaction could not be included,
 * so nothing is signed (COFFRE_CONFLICT, reason `fee-cap-exceeded`). A replacement bumps both fields by 12.5 %
 * (nodes require ≥ 10 %) or to the current estimate if higher, within the caps.
 */
import { CoffreError } from '../../errors.ts'
import { chainError } from '../chainErrors.ts'
import type { PolygonClient } from '../rpc/evmClient.ts'
import { rpcCall } from '../rpc/rpcError.ts'
import type { EvmFees } from '../../store/chain/evmOutbox.ts'

export type FeeCaps = Readonly<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }>

const min = (a: bigint, b: bigint) => (a < b ? a : b)
const max = (a: bigint, b: bigint) => (a > b ? a : b)
const scaled = (value: bigint, numerator: bigint, denominator: bigint) => (value * numerator + denominator - 1n) / denominator

export async function estimateEip1559Fees(client: PolygonClient, caps: FeeCaps): Promise<EvmFees> {
  const block = await rpcCall('polygon', 'eth_getBlockByNumber', () => client.getBlock({ blockTag: 'latest' }))
  const baseFee = block.baseFeePerGas
  if (baseFee === null) throw new CoffreError('COFFRE_UNSUPPORTED', 'the chain has no EIP-1559 base fee')
  const suggested = await rpcCall('polygon', 'eth_maxPriorityFeePerGas', () => client.estimateMaxPriorityFeePerGas())
  const tip = min(suggested, caps.maxPriorityFeePerGas)
  if (baseFee + tip > caps.maxFeePerGas) {
    throw chainError('fee-cap-exceeded', `base fee ${baseFee} + tip ${tip} wei exceeds the maxFeePerGas cap ${caps.maxFeePerGas} wei`, {
      details: { baseFee: baseFee.toString(), cap: caps.maxFeePerGas.toString() },
    })
  }
  return { maxFeePerGas: min(baseFee * 2n + tip, caps.maxFeePerGas), maxPriorityFeePerGas: tip }
}

/** Fees for a replacement of `previous`, or undefined when the caps leave no room for a valid one. */
export function bumpFees(previous: EvmFees, current: EvmFees, caps: FeeCaps): EvmFees | undefined {
  const tip = min(max(scaled(previous.maxPriorityFeePerGas, 9n, 8n), current.maxPriorityFeePerGas), caps.maxPriorityFeePerGas)
  const fee = min(max(max(scaled(previous.maxFeePerGas, 9n, 8n), current.maxFeePerGas), tip), caps.maxFeePerGas)
  if (tip < scaled(previous.maxPriorityFeePerGas, 11n, 10n) || fee < scaled(previous.maxFeePerGas, 11n, 10n)) return undefined
  return { maxFeePerGas: fee, maxPriorityFeePerGas: tip }
}
