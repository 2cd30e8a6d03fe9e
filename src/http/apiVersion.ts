/**
 * The HTTP API's version (semver). The major changes only with a breaking change; minors add
 * routes or fields. Every reply carries it in `Coffre-Api-Version` and /openapi.json in
 * `info.version`. A client may state the version it speaks in the same request header: a request
 * stating another major is refused before any work (COFFRE_API_VERSION_UNSUPPORTED), so an old
 * client cannot act on a server whose contract it does not know.
 */
import type { FastifyInstance } from 'fastify'
import { CoffreError, invalidInput } from '../errors.ts'

export const API_VERSION = '1.0.0'
export const API_VERSION_HEADER = 'coffre-api-version'

const VERSION_TEXT = /^([0-9]{1,4})(?:\.[0-9]{1,4}){0,2}(?:\.x)?$/

export const majorOf = (version: string): number | null => {
  const match = VERSION_TEXT.exec(version)
  return match ? Number(match[1]) : null
}

export function registerApiVersion(app: FastifyInstance): void {
  const major = majorOf(API_VERSION)
  app.addHook('onRequest', async (request, reply) => {
    reply.header(API_VERSION_HEADER, API_VERSION)
    const stated = request.headers[API_VERSION_HEADER]
    if (stated === undefined) return
    const statedMajor = typeof stated === 'string' ? majorOf(stated) : null
    if (statedMajor === null) throw invalidInput(`the ${API_VERSION_HEADER} header must be a version such as 1 or 1.2`)
    if (statedMajor !== major) {
      throw new CoffreError('COFFRE_API_VERSION_UNSUPPORTED', `this server speaks Coffre API ${API_VERSION} (major ${major}); the client speaks major ${statedMajor}: use a client for API ${major}.x`)
    }
  })
}
