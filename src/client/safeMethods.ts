/** `client.safe`: Safe v1.4.1 multisigs with the user's vault key as an owner (docs/safe.md). Nothing is broadcast. */
import { dataOf, initOf, type Api } from './call.ts'
import type { CallOptions, CreateSafeInput, CreatedSafe, ExecuteSafeInput, SafeExecution, SafeProposeInput, SafeSignInput, SignedSafeTx } from './types.ts'

export function safeMethods(api: Api) {
  const user = (userId: string) => ({ params: { path: { id: userId } } })
  return {
    /** The Safe's address before deployment, and the call that deploys it. */
    create: (userId: string, input: CreateSafeInput, options?: CallOptions): Promise<CreatedSafe> => dataOf(api.POST('/v1/users/{id}/safe', { ...user(userId), body: input, ...initOf(options) })),
    /** Builds a SafeTx and signs it with the user's vault key. */
    propose: (userId: string, input: SafeProposeInput, options?: CallOptions): Promise<SignedSafeTx> => dataOf(api.POST('/v1/users/{id}/safe/propose', { ...user(userId), body: input, ...initOf(options) })),
    sign: (userId: string, input: SafeSignInput, options?: CallOptions): Promise<SignedSafeTx> => dataOf(api.POST('/v1/users/{id}/safe/sign', { ...user(userId), body: input, ...initOf(options) })),
    /** Checks the owners' signatures and returns the execTransaction call to send. */
    execute: (input: ExecuteSafeInput, options?: CallOptions): Promise<SafeExecution> => dataOf(api.POST('/v1/safe/execute', { body: input, ...initOf(options) })),
  }
}
