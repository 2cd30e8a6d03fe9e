/**
 * The user a request acts for, as the evaluator sees it: the values `$user.<field>` refers to
 * in a policy. The vault fills it from the user's rows; `proxyWallet` and `safeWallet` are
 * derived from `polygonAddress` (CREATE2, as Polymarket's clients do) when left out.
 */
export type PolicyUser = {
  readonly id: string
  readonly polygonAddress?: string | undefined
  readonly solanaAddress?: string | undefined
  readonly proxyWallet?: string | undefined
  readonly safeWallet?: string | undefined
  /** Addresses (EVM or Solana) the operator allows this user to withdraw to. */
  readonly withdrawalAllowlist?: readonly string[] | undefined
}

export const USER_FIELDS = ['id', 'polygonAddress', 'solanaAddress', 'proxyWallet', 'safeWallet', 'withdrawalAllowlist'] as const
export type UserField = (typeof USER_FIELDS)[number]

/** `$user.polygonAddress` → 'polygonAddress', anything else → undefined. */
export function userFieldOf(value: string): UserField | undefined {
  if (!value.startsWith('$user.')) return undefined
  const field = value.slice(6)
  return (USER_FIELDS as readonly string[]).includes(field) ? (field as UserField) : undefined
}
