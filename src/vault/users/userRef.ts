/** How callers name a user: by Coffre id, telegram id or one of the wallet addresses. */
export type UserRef = { readonly id: string } | { readonly telegramUserId: number | string } | { readonly address: string }
