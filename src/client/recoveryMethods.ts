/** `client.guardians` and `client.recovery`: a user's guardians and account recovery (docs/recovery.md). */
import { dataOf, initOf, type Api } from './call.ts'
import type { AddGuardiansInput, CallOptions, GuardianRemoval, RecoveryRequest, RequestRecoveryInput, UserGuardians } from './types.ts'

export function guardianMethods(api: Api) {
  const user = (userId: string) => ({ params: { path: { id: userId } } })
  return {
    /** Registers (or rotates) the user's guardians; each gets a share sealed to its key (needs the export scope). */
    add: (userId: string, input: AddGuardiansInput, options?: CallOptions): Promise<UserGuardians> => dataOf(api.POST('/v1/users/{id}/guardians', { ...user(userId), body: input, ...initOf(options) })),
    get: (userId: string, options?: CallOptions): Promise<UserGuardians> => dataOf(api.GET('/v1/users/{id}/guardians', { ...user(userId), ...initOf(options) })),
    remove: (userId: string, options?: CallOptions): Promise<GuardianRemoval> => dataOf(api.DELETE('/v1/users/{id}/guardians', { ...user(userId), ...initOf(options) })),
  }
}

export function recoveryMethods(api: Api) {
  const path = (userId: string, requestId: string) => ({ params: { path: { id: userId, requestId } } })
  return {
    /** Opens a request; guardians sign its `text` with EIP-191 personal_sign. */
    request: (userId: string, input: RequestRecoveryInput, options?: CallOptions): Promise<RecoveryRequest> =>
      dataOf(api.POST('/v1/users/{id}/recovery', { params: { path: { id: userId } }, body: input, ...initOf(options) })),
    status: (userId: string, requestId: string, options?: CallOptions): Promise<RecoveryRequest> => dataOf(api.GET('/v1/users/{id}/recovery/{requestId}', { ...path(userId, requestId), ...initOf(options) })),
    approve: (userId: string, requestId: string, signatures: readonly string[], options?: CallOptions): Promise<RecoveryRequest> =>
      dataOf(api.POST('/v1/users/{id}/recovery/{requestId}/approve', { ...path(userId, requestId), body: { signatures: [...signatures] }, ...initOf(options) })),
    cancel: (userId: string, requestId: string, options?: CallOptions): Promise<RecoveryRequest> => dataOf(api.POST('/v1/users/{id}/recovery/{requestId}/cancel', { ...path(userId, requestId), ...initOf(options) })),
    complete: (userId: string, requestId: string, options?: CallOptions): Promise<RecoveryRequest> => dataOf(api.POST('/v1/users/{id}/recovery/{requestId}/complete', { ...path(userId, requestId), ...initOf(options) })),
  }
}
