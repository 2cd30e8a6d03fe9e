/** Operator calls (admin scope): data keys and their rotation, the audit chain, the doctor report. */
import { dataOf, initOf, type Api } from './call.ts'
import type { AuditVerification, CallOptions, DoctorReport, Keyring } from './types.ts'

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
    /** Database, migrations, root key, secrets (unless `secrets: false`), audit chain. */
    doctor: (query: { secrets?: boolean } = {}, options?: CallOptions): Promise<DoctorReport> =>
      dataOf(api.GET('/v1/doctor', { params: { query: query.secrets === undefined ? {} : { secrets: query.secrets ? 'true' : 'false' } }, ...initOf(options) })),
  }
}
