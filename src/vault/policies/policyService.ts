/**
 * `vault.policies`: signing policies as immutable versions. `create` stores the next version of a
 * name (a policy document or a template instance, validated and compiled first; audited in the
 * same transaction), `list` the latest of each, `show` one (with its versions), `evaluate` a dry
 * run (the decision and the deciding rule; nothing is signed or charged), `decide` the decision
 * for a principal (what other services — chain withdrawals — gate on; see authorize.ts).
 */
import { CoffreError, invalidInput } from '../../errors.ts'
import { canonicalJson } from '../../canonicalJson.ts'
import type { PolicyUser } from '../../policy/policyUser.ts'
import { evaluatePolicy, type PolicyDecision } from '../../policy/evaluatePolicy.ts'
import { parsePolicyRequest } from './parsePolicyRequest.ts'
import type { PolicyRequest } from '../../policy/request.ts'
import { policyName } from '../../policy/schema/policyDocument.ts'
import { isTemplateInstance, loadPolicySource, TEMPLATE_NAMES } from '../../policy/templates.ts'
import { appendAuditEntries } from '../../store/audit/append.ts'
import { insertPolicyVersion, latestPolicyVersion, listLatestPolicies, listPolicyVersions, type PolicyRow } from '../../store/policies.ts'
import { DEFAULT_ACTOR, type ActionOptions, type VaultContext } from '../context.ts'
import type { UserRef } from '../users/findUser.ts'
import { decide, type Decision } from './authorize.ts'
import { policyUserOf } from './policyUserOf.ts'
import type { Principal } from './principal.ts'
import { resolvePolicy } from './resolvePolicy.ts'

export type StoredPolicy = {
  readonly name: string
  readonly version: number
  /** The document (or template instance) as stored. */
  readonly document: unknown
  readonly createdAt: string
  readonly createdBy: string
}

export type EvaluateInput = {
  /** A stored or built-in policy name, or… */
  readonly policy?: string
  /** …a document or template instance to try before storing it. */
  readonly document?: unknown
  /** The request, in its JSON form (parsePolicyRequest.ts). */
  readonly request: unknown
  /** The user the request acts for (default: a user with no addresses). */
  readonly user?: UserRef
}

export type Evaluation = Omit<PolicyDecision, 'charges' | 'approvals'> & { readonly policy: string; readonly policyVersion: number | null; readonly approvals?: { threshold: number; approvers: readonly string[] } }

const toStored = (row: PolicyRow): StoredPolicy => ({ name: row.name, version: row.version, document: JSON.parse(row.document), createdAt: row.created_at, createdBy: row.created_by })

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !policyName.safeParse(name).success) throw invalidInput('policy name must be 1–64 lowercase letters, digits and . _ - (starting with a letter or digit)')
  if (TEMPLATE_NAMES.includes(name)) throw invalidInput(`"${name}" is a built-in template name; instantiate it under your own name: { "template": "${name}", "params": { … } }`)
  return name
}

export function createPolicyService(ctx: VaultContext) {
  const db = ctx.store.db
  return {
    /** Stores `document` as the next version of `name`; the version is assigned here. */
    async create(input: { name: string; document: unknown }, options: ActionOptions = {}): Promise<StoredPolicy> {
      const name = checkName(input?.name)
      let source = input.document
      if (typeof source === 'string') {
        try {
          source = JSON.parse(source)
        } catch {
          throw new CoffreError('COFFRE_POLICY_INVALID', 'invalid policy: (document): not valid JSON')
        }
      }
      if (typeof source !== 'object' || source === null || Array.isArray(source)) throw new CoffreError('COFFRE_POLICY_INVALID', 'invalid policy: (document): expected a policy document or a template instance')
      const row = await db.transaction().execute(async (trx) => {
        const latest = await latestPolicyVersion(trx, name)
        const version = (latest?.version ?? 0) + 1
        const document = isTemplateInstance(source) ? { ...(source as object), name } : { ...(source as object), name, version }
        loadPolicySource(document)
        const row: PolicyRow = { name, version, document: canonicalJson(document), source: isTemplateInstance(source) ? source.template : null, created_at: new Date().toISOString(), created_by: options.actor ?? DEFAULT_ACTOR }
        try {
          await insertPolicyVersion(trx, row)
        } catch (error) {
          if (latest === undefined || (await latestPolicyVersion(trx, name).catch(() => undefined))?.version !== version) throw error
          throw new CoffreError('COFFRE_CONFLICT', `policy "${name}" changed concurrently; retry`, { cause: error })
        }
        await appendAuditEntries(trx, ctx.store.dialect, [{ action: 'policy.create', actor: row.created_by, subject: `policy:${name}`, details: { version, template: row.source } }])
        return row
      })
      ctx.observer.audited?.('policy.create', 1)
      return toStored(row)
    },

    /** The latest version of every stored policy (built-in templates are listed by `templates`). */
    async list(): Promise<StoredPolicy[]> {
      return (await listLatestPolicies(db)).map(toStored)
    },

    /** The latest version of `name` and every version number, or COFFRE_NOT_FOUND. */
    async show(name: string): Promise<StoredPolicy & { versions: number[] }> {
      if (typeof name !== 'string' || !policyName.safeParse(name).success) throw new CoffreError('COFFRE_NOT_FOUND', 'no such policy')
      const versions = await listPolicyVersions(db, name)
      const latest = versions.at(-1)
      if (latest === undefined) throw new CoffreError('COFFRE_NOT_FOUND', `no policy named "${name}"`)
      return { ...toStored(latest), versions: versions.map((v) => v.version) }
    },

    /** Dry run: the decision and the deciding rule; nothing is signed, charged or written. */
    async evaluate(input: EvaluateInput): Promise<Evaluation> {
      if ((input?.policy === undefined) === (input?.document === undefined)) throw invalidInput('give exactly one of policy (a name) or document')
      const resolved = input.policy !== undefined ? await resolvePolicy(ctx, input.policy) : { name: '(document)', version: null, compiled: loadPolicySource(input.document) }
      const request: PolicyRequest = parsePolicyRequest(input.request)
      const user: PolicyUser = input.user === undefined ? { id: 'dry-run' } : await policyUserOf(ctx, input.user)
      const { charges: _charges, ...decision } = evaluatePolicy(resolved.compiled, request, { user, now: Date.now() })
      return { ...decision, policy: resolved.name, policyVersion: resolved.version }
    },

    /** The decision for `principal` on `request` acting for `user` (no audit, no charge): the gate other services build on. */
    async decide(principal: Principal | undefined, request: PolicyRequest, user?: UserRef): Promise<Decision> {
      return decide(ctx, principal, request, user === undefined ? { id: principal === undefined ? 'library' : `token:${principal.id}` } : await policyUserOf(ctx, user))
    },
  }
}

export type PolicyService = ReturnType<typeof createPolicyService>
