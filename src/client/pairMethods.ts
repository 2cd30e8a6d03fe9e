/** `client.derivedKeys` and `client.pairs` (seed 004): a user's identity-derived keys, and pairs of keys. */
import { dataOf, initOf, type Api } from './call.ts'
import type { CallOptions, CreatePairInput, DerivedKeyMembership, DerivedKeyPage, MembershipInput, Pair, PairPage } from './types.ts'

export function derivedKeyMethods(api: Api) {
  return {
    /** A page of [main, derived(0), …, derived(count - 1)] from `offset`; `nextOffset` null on the last page. */
    list: (userId: string, query: { count?: number; offset?: number } = {}, options?: CallOptions): Promise<DerivedKeyPage> =>
      dataOf(api.GET('/v1/users/{id}/derived-keys', {
        params: { path: { id: userId }, query: { ...(query.count === undefined ? {} : { count: String(query.count) }), ...(query.offset === undefined ? {} : { offset: String(query.offset) }) } },
        ...initOf(options),
      })),
    /** Whether `publicKey` is the identity's main key (`index: 'main'`) or derived(index) for an index below maxDerived. */
    belongs: (userId: string, input: MembershipInput, options?: CallOptions): Promise<DerivedKeyMembership> =>
      dataOf(api.POST('/v1/users/{id}/derived-keys/belongs', { params: { path: { id: userId } }, body: input, ...initOf(options) })),
  }
}

export function pairMethods(api: Api) {
  const uuidPath = (uuid: string) => ({ path: { uuid } })
  return {
    /** A remote pair (`publicKey`, `publicKeys`) or a user's local pair (`userId`, `derivedCount`). */
    create: (input: CreatePairInput, options?: CallOptions): Promise<Pair> => dataOf(api.POST('/v1/pairs', { body: input, ...initOf(options) })),
    list: (query: { cursor?: string; limit?: number } = {}, options?: CallOptions): Promise<PairPage> =>
      dataOf(api.GET('/v1/pairs', { params: { query: { ...(query.cursor === undefined ? {} : { cursor: query.cursor }), ...(query.limit === undefined ? {} : { limit: String(query.limit) }) } }, ...initOf(options) })),
    get: (uuid: string, options?: CallOptions): Promise<Pair> => dataOf(api.GET('/v1/pairs/{uuid}', { params: uuidPath(uuid), ...initOf(options) })),
    /** Deletes the pair; returns what was deleted. */
    delete: (uuid: string, options?: CallOptions): Promise<Pair> => dataOf(api.DELETE('/v1/pairs/{uuid}', { params: uuidPath(uuid), ...initOf(options) })),
    addKeys: (uuid: string, publicKeys: readonly string[], options?: CallOptions): Promise<Pair> =>
      dataOf(api.POST('/v1/pairs/{uuid}/keys', { params: uuidPath(uuid), body: { publicKeys: [...publicKeys] }, ...initOf(options) })),
    removeKey: (uuid: string, publicKey: string, options?: CallOptions): Promise<Pair> =>
      dataOf(api.DELETE('/v1/pairs/{uuid}/keys/{publicKey}', { params: { path: { uuid, publicKey } }, ...initOf(options) })),
    async contains(uuid: string, input: MembershipInput, options?: CallOptions): Promise<boolean> {
      return (await dataOf(api.POST('/v1/pairs/{uuid}/contains', { params: uuidPath(uuid), body: input, ...initOf(options) }))).contains
    },
  }
}
