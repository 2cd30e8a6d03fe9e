/**
 * The HTTP API major version this client speaks. Every request states it (`Coffre-Api-Version`),
 * so a server of another major refuses before doing anything; and every reply's
 * `Coffre-Api-Version` is checked, so a reply from such a server is never taken for one this
 * client understands.
 */
import { CoffreApiError } from './coffreApiError.ts'

export const COFFRE_API_MAJOR = 1
export const COFFRE_API_VERSION_HEADER = 'Coffre-Api-Version'

/** Throws when the server states a major version other than the client's; a reply without the header (an older 1.x server, a proxy) passes. */
export function assertServerVersion(response: Response): void {
  const stated = response.headers.get(COFFRE_API_VERSION_HEADER)
  if (stated === null) return
  const major = /^([0-9]+)(\.|$)/.exec(stated)?.[1]
  if (major !== undefined && Number(major) === COFFRE_API_MAJOR) return
  throw new CoffreApiError(
    'COFFRE_API_VERSION_UNSUPPORTED',
    response.status,
    `the server speaks Coffre API ${stated}; this client speaks ${COFFRE_API_MAJOR}.x — use a client release for API ${major ?? stated}`,
  )
}
