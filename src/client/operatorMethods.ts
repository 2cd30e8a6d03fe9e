/** Operator calls (admin scope): data keys and their rotation, the audit chain, the doctor report. */
import { dataOf, initOf, type Api } from './call.ts'
import type { AuditVerification, CallOptions, CreatePolicyInput, DoctorReport, EvaluatePolicyInput, Keyring, PolicyEvaluation, PolicyList, StoredPolicy } from './types.ts'

export function operatorMethods(api: Api) {
  return {
    keys: {
      /** Data keys, nonce-budget use and rotation progress. */
      list: (options?: CallOptions): Promise<Keyring> => dataOf(api.GET('/v1/keys', initOf(options))),
      /** Starts (or joins) a data-key rotation that runs in the background. */
      rotateData: (options?: CallOptions): Promise<Keyring> => dataOf(api.POST('/v1/keys/rotate-data', initOf(options))),
    },
    audit: {
      verify: (options?: CallOptions): Promise<AuditVerification> => dataOf(api.GET('/v1/audit/verify', initOf(options))),
    },
    policies: {
      /** The latest version of every stored signing policy. */
      list: (options?: CallOptions): Promise<PolicyList> => dataOf(api.GET('/v1/policies', initOf(options))),
      /** Stores a new immutable version of `name` (a document or a template instance). */
      create: (input: CreatePolicyInput, options?: CallOptions): Promise<StoredPolicy> => dataOf(api.POST('/v1/policies', { body: input, ...initOf(options) })),
      /** The latest version of `name` and its version numbers. */
      get: (name: string, options?: CallOptions): Promise<StoredPolicy> => dataOf(api.GET('/v1/policies/{name}', { params: { path: { name } }, ...initOf(options) })),
      /** Dry run: the decision and the deciding rule, nothing signed. */
      evaluate: (input: EvaluatePolicyInput, options?: CallOptions): Promise<PolicyEvaluation> => dataOf(api.POST('/v1/policies/evaluate', { body: input, ...initOf(options) })),
    },
    /** Database, migrations, root key, secrets (unless `secrets: false`), audit chain. */
    doctor: (query: { secrets?: boolean } = {}, options?: CallOptions): Promise<DoctorReport> =>
      dataOf(api.GET('/v1/doctor', { params: { query: query.secrets === undefined ? {} : { secrets: query.secrets ? 'true' : 'false' } }, ...initOf(options) })),
  }
}
