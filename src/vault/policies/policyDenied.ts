/** The typed refusals of policy enforcement: COFFRE_POLICY_DENIED (403) naming the deciding rule. */
import { CoffreError } from '../../errors.ts'

export function policyDenied(ruleId: string | null, reason: string, operation: string): CoffreError {
  const rule = ruleId === null ? 'no rule allows it' : `rule "${ruleId}"`
  return new CoffreError('COFFRE_POLICY_DENIED', `${operation} denied by ${rule}: ${reason}`, { details: { ruleId, operation } })
}
