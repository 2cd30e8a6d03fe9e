/**
 * Bearer-token authentication and scope checks, run as an onRequest hook before the body is even
 * parsed. Missing, malformed, unknown and revoked tokens get the same 401; a token without the
 * route's scope gets 403. Failed attempts count against the client IP, whose further failed
 * attempts get 429 after too many; a valid token is always checked first and never refused by
 * that slow-down (a flood of bad tokens through a shared proxy address must not lock out good
 * clients).
 */
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { CoffreError } from '../errors.ts'
import { grants, type Scope } from '../vault/tokens/scopes.ts'
import { principalOf, type ApiToken, type TokenService } from '../vault/tokens/tokenService.ts'
import type { ActionOptions } from '../vault/vault.ts'
import type { RateLimits } from './rateLimits.ts'

declare module 'fastify' {
  interface FastifyRequest {
    apiToken?: ApiToken
  }
}

/** A route's onRequest hook that lets only tokens with `scope` through (the scope is readable, for the route-coverage test). */
export type ScopeGuard = onRequestAsyncHookHandler & { readonly scope: Scope }

export type Guard = (scope: Scope) => ScopeGuard

export function createGuard(tokens: TokenService, limits: RateLimits): Guard {
  return (scope) =>
    Object.assign(async function requireScope(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      const text = bearerText(request)
      const token = text === '' ? null : await tokens.authenticate(text)
      if (token === null) {
        await limits.authFailed(request.ip)
        reply.header('www-authenticate', 'Bearer')
        throw new CoffreError('COFFRE_UNAUTHORIZED', 'a valid bearer token is required')
      }
      if (!grants(token.scopes, scope)) throw new CoffreError('COFFRE_FORBIDDEN', `this token lacks the ${scope} scope`)
      await limits.consumeToken(token.id)
      request.apiToken = token
    }, { scope })
}

/** The bearer token text of a request ('' when absent or malformed). */
export function bearerText(request: FastifyRequest): string {
  const header = request.headers.authorization
  return typeof header === 'string' && /^Bearer [^\s]+$/i.test(header) ? header.slice(7) : ''
}

/** The audit actor for a request: `http:<token name>`. */
export const actorOf = (request: FastifyRequest): string => `http:${request.apiToken?.name ?? 'anonymous'}`

/** Who a request acts as, for the vault: the audit actor and the token's principal (its signing policy). */
export const callerOf = (request: FastifyRequest): ActionOptions => ({ actor: actorOf(request), principal: request.apiToken === undefined ? undefined : principalOf(request.apiToken) })
