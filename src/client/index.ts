/**
 * `coffre/client`: the typed HTTP client of a Coffre service. No Node-only API: it runs in Node,
 * Bun, Deno and browsers. See docs/clients.md.
 */
export { createCoffreClient, type CoffreClient, type CoffreClientOptions } from './createCoffreClient.ts'
export { CoffreApiError, isCoffreApiError, type CoffreErrorCode } from './coffreApiError.ts'
export { COFFRE_API_MAJOR } from './apiVersion.ts'
export type { RetryOptions } from './retryPolicy.ts'
export type { FetchFunction } from './coffreFetch.ts'
export type * from './types.ts'
export type { paths, components } from './openapi.ts'
