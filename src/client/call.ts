/** Turns openapi-fetch's `{ data, error, response }` into the reply's data, or a thrown CoffreApiError. */
import type { Client } from 'openapi-fetch'
import type { paths } from './openapi.ts'
import { errorFromReply } from './coffreApiError.ts'
import type { CallOptions } from './types.ts'

export type Api = Client<paths>

type Outcome<T> = { data?: T; error?: unknown; response: Response }

export async function call<T>(pending: Promise<Outcome<T>>): Promise<{ data: T; response: Response }> {
  const { data, error, response } = await pending
  if (!response.ok) throw errorFromReply(response, error)
  // A success status with an error body (e.g. 202 COFFRE_APPROVAL_REQUIRED) is still an error.
  if (typeof data === 'object' && data !== null && Object.hasOwn(data, 'error')) throw errorFromReply(response, data)
  return { data: data as T, response }
}

export const dataOf = async <T>(pending: Promise<Outcome<T>>): Promise<T> => (await call(pending)).data

/** The fetch init for a call's options. */
export const initOf = (options: CallOptions | undefined) => ({
  ...(options?.signal === undefined ? {} : { signal: options.signal }),
  ...(options?.idempotencyKey === undefined ? {} : { headers: { 'idempotency-key': options.idempotencyKey } }),
})
