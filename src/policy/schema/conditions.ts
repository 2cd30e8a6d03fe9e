/**
 * Every condition a rule can hold, as strict zod schemas (an unknown field is an error, not
 * ignored). `type` names the condition; docs/policies.md has one example per type.
 */
import { z } from 'zod'
import { amount, amountRange, anyAddressSet, chainIdSet, decimalRange, evmAddressItem, evmAddressSet, instant, smallIntSet, solanaAddressItem, solanaAddressSet, stringSet, uintSet, windowSeconds, MAX_SET_SIZE } from './values.ts'

export const ERC20_FUNCTIONS = ['transfer', 'transferFrom', 'approve', 'increaseAllowance'] as const
export const TYPED_DATA_KINDS = [
  'polymarket-order', 'clob-auth', 'permit', 'dai-permit', 'permit2-single', 'permit2-batch',
  'permit2-transfer-from', 'permit2-batch-transfer-from', 'permit2-witness-transfer-from', 'permit2-batch-witness-transfer-from', 'other',
] as const
export const PERMIT_KINDS = TYPED_DATA_KINDS.filter((kind) => kind.includes('permit')) as readonly string[]

/** Flat set conditions: `{ type, in | notIn | eq }`. */
function setCondition<const N extends string, T extends z.ZodType>(type: N, item: T) {
  const list = z.array(item).min(1).max(MAX_SET_SIZE)
  return z
    .strictObject({ type: z.literal(type), eq: item.optional(), in: list.optional(), notIn: list.optional() })
    .refine((c) => [c.eq, c.in, c.notIn].filter((part) => part !== undefined).length === 1, 'give exactly one of eq, in, notIn')
    .transform((c) => ({ type: c.type, set: c.notIn !== undefined ? { notIn: c.notIn as z.output<T>[] } : { in: (c.in ?? [c.eq]) as z.output<T>[] } }))
}

const selectorItem = z.string().regex(/^0x([0-9a-fA-F]{8})?$/, 'expected a 4-byte selector such as 0xa9059cbb, or "0x" for no calldata').transform((value) => value.toLowerCase())
const scalar = z.union([z.string().max(256), z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER), z.boolean()])
const fieldPath = z.string().max(200).regex(/^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*|\[[0-9]{1,4}\])*$/, 'expected a path such as "maker", "details.spender" or "permitted[0].amount"')
const integerText = z.string().regex(/^-?(0|[1-9][0-9]{0,77})$/, 'expected a decimal integer string').transform((value) => BigInt(value))
const pattern = z.string().min(1).max(512)
const deadlineLimit = z
  .strictObject({ lte: instant.optional(), maxSecondsFromNow: z.number().int().min(0).max(10 * 366 * 86400).optional() })
  .refine((d) => d.lte !== undefined || d.maxSecondsFromNow !== undefined, 'give lte, maxSecondsFromNow or both')
const atLeastOne = (fields: readonly string[]) => (value: Record<string, unknown>) => fields.some((field) => value[field] !== undefined)

export const conditionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('time-window'), notBefore: instant.optional(), notAfter: instant.optional() }).refine(atLeastOne(['notBefore', 'notAfter']), 'give notBefore, notAfter or both'),
  z.strictObject({
    type: z.literal('velocity'),
    window: windowSeconds,
    limit: z.union([amount, z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).transform((n) => BigInt(n))]),
    measure: z.enum(['count', 'amount']),
    asset: z.string().min(1).max(64).optional(),
    counter: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'a counter name is letters, digits and . _ : -').optional(),
  }),
  setCondition('chain-id', z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)),
  setCondition('evm-to', evmAddressItem),
  z.strictObject({ type: z.literal('native-value'), lte: amount.optional(), gte: amount.optional() }).refine(atLeastOne(['lte', 'gte']), 'give lte, gte or both'),
  setCondition('selector', selectorItem),
  z.strictObject({
    type: z.literal('erc20'),
    functions: z.array(z.enum(ERC20_FUNCTIONS)).min(1).max(4).optional(),
    token: evmAddressSet.optional(),
    from: evmAddressSet.optional(),
    recipient: evmAddressSet.optional(),
    spender: evmAddressSet.optional(),
    amount: amountRange.optional(),
    unlimited: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('set-approval-for-all'), token: evmAddressSet.optional(), operator: evmAddressSet.optional(), approved: z.boolean().optional() }),
  z.strictObject({ type: z.literal('typed-data'), primaryType: stringSet.optional(), kind: z.array(z.enum(TYPED_DATA_KINDS)).min(1).optional() }).refine(atLeastOne(['primaryType', 'kind']), 'give primaryType, kind or both'),
  z
    .strictObject({ type: z.literal('typed-data-domain'), name: stringSet.optional(), version: stringSet.optional(), chainId: chainIdSet.optional(), verifyingContract: evmAddressSet.optional() })
    .refine(atLeastOne(['name', 'version', 'chainId', 'verifyingContract']), 'give at least one domain field'),
  z
    .strictObject({ type: z.literal('typed-data-field'), path: fieldPath, eq: scalar.optional(), in: z.array(scalar).min(1).max(MAX_SET_SIZE).optional(), notIn: z.array(scalar).min(1).max(MAX_SET_SIZE).optional(), lte: integerText.optional(), gte: integerText.optional(), matches: pattern.optional() })
    .refine((c) => [c.eq, c.in, c.notIn, c.matches, c.lte ?? c.gte].filter((part) => part !== undefined).length === 1, 'give exactly one comparison: eq, in, notIn, matches, or lte/gte'),
  z.strictObject({
    type: z.literal('permit'),
    kind: z.array(z.enum(TYPED_DATA_KINDS)).min(1).optional().refine((kinds) => kinds === undefined || kinds.every((kind) => PERMIT_KINDS.includes(kind)), 'only permit kinds'),
    token: evmAddressSet.optional(),
    spender: evmAddressSet.optional(),
    amount: amountRange.optional(),
    unlimited: z.boolean().optional(),
    deadline: deadlineLimit.optional(),
    expiration: deadlineLimit.optional(),
  }),
  z.strictObject({ type: z.literal('clob-auth'), address: evmAddressSet.optional() }),
  z.strictObject({
    type: z.literal('polymarket-order'),
    maker: evmAddressSet.optional(),
    signer: evmAddressSet.optional(),
    exchange: evmAddressSet.optional(),
    side: z.array(z.enum(['BUY', 'SELL'])).min(1).optional(),
    tokenId: uintSet.optional(),
    signatureType: smallIntSet.optional(),
    negRisk: z.boolean().optional(),
    notional: amountRange.optional(),
    shares: amountRange.optional(),
    price: decimalRange.optional(),
  }),
  z.strictObject({ type: z.literal('message'), matches: pattern, caseInsensitive: z.boolean().optional() }),
  setCondition('solana-program', solanaAddressItem),
  z.strictObject({ type: z.literal('solana-instruction'), in: z.array(z.string().min(1).max(64)).min(1).max(MAX_SET_SIZE) }),
  z.strictObject({ type: z.literal('solana-transfer'), asset: z.array(z.string().min(1).max(64)).min(1).optional(), destination: solanaAddressSet.optional(), amount: amountRange.optional() }),
  z.strictObject({ type: z.literal('solana-approval'), delegate: solanaAddressSet.optional(), amount: amountRange.optional(), unlimited: z.boolean().optional() }),
  setCondition('solana-fee-payer', solanaAddressItem),
  z.strictObject({ type: z.literal('withdrawal'), asset: z.array(z.string().min(1).max(64)).min(1).optional(), to: anyAddressSet.optional(), amount: amountRange.optional() }),
  z.strictObject({ type: z.literal('token-approval'), token: evmAddressSet.optional(), spender: evmAddressSet.optional(), amount: amountRange.optional(), unlimited: z.boolean().optional() }),
])

export type Condition = z.output<typeof conditionSchema>
export type ConditionType = Condition['type']
