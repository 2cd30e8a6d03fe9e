/**
 * What a policy rule can govern: one name per vault operation (issue 12), plus `*` for rules
 * that hold for every operation (only operation-independent conditions may appear there).
 */
export const POLICY_OPERATIONS = [
  'sign.evm-message',
  'sign.typed-data',
  'sign.evm-transaction',
  'sign.solana-message',
  'sign.solana-transaction',
  'polymarket.order',
  'polymarket.credentials',
  'users.create',
  'users.import',
  'users.export',
  'derive',
  'pairs',
  'chain.withdrawal',
  'chain.approval',
] as const

export type PolicyOperation = (typeof POLICY_OPERATIONS)[number]
export type RuleOperation = PolicyOperation | '*'

const known: ReadonlySet<string> = new Set(POLICY_OPERATIONS)
export const isPolicyOperation = (value: unknown): value is PolicyOperation => typeof value === 'string' && known.has(value)
