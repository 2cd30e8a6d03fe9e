/**
 * Which operations each condition type can judge. A condition on an operation it cannot see
 * (an ERC-20 check on a message signature) is refused when the policy is loaded rather than
 * silently never holding. `*` rules take only the operation-independent conditions.
 */
import type { ConditionType } from './schema/conditions.ts'
import type { PolicyOperation } from './operations.ts'

const EVM_TX: readonly PolicyOperation[] = ['sign.evm-transaction']
const TYPED: readonly PolicyOperation[] = ['sign.typed-data']

export const CONDITION_OPERATIONS: Readonly<Record<ConditionType, readonly PolicyOperation[] | 'any'>> = {
  'time-window': 'any',
  velocity: 'any',
  'chain-id': ['sign.evm-transaction', 'sign.typed-data', 'polymarket.order', 'polymarket.credentials', 'chain.withdrawal', 'chain.approval'],
  'evm-to': EVM_TX,
  'native-value': EVM_TX,
  selector: EVM_TX,
  erc20: EVM_TX,
  'set-approval-for-all': EVM_TX,
  'typed-data': TYPED,
  'typed-data-domain': TYPED,
  'typed-data-field': TYPED,
  permit: TYPED,
  'clob-auth': TYPED,
  'polymarket-order': ['sign.typed-data', 'polymarket.order'],
  message: ['sign.evm-message', 'sign.solana-message'],
  'solana-program': ['sign.solana-transaction'],
  'solana-instruction': ['sign.solana-transaction'],
  'solana-transfer': ['sign.solana-transaction'],
  'solana-approval': ['sign.solana-transaction'],
  'solana-fee-payer': ['sign.solana-transaction'],
  withdrawal: ['chain.withdrawal'],
  'token-approval': ['chain.approval'],
}

/** Operations whose requests spend an asset, so an amount velocity can measure them. */
export const SPENDING_OPERATIONS: readonly PolicyOperation[] = ['sign.evm-transaction', 'sign.typed-data', 'polymarket.order', 'sign.solana-transaction', 'chain.withdrawal']

export function conditionFits(type: ConditionType, operation: PolicyOperation | '*'): boolean {
  const scope = CONDITION_OPERATIONS[type]
  return scope === 'any' || (operation !== '*' && scope.includes(operation))
}
