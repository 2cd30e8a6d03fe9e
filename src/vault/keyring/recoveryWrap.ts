/** Which wrap of a data key a recovery key (current or pending, store/recoveryKeys.ts) opens. */
import type { DataKeyRow } from '../../store/dataKeys.ts'
import type { RecoveryKeyRefs } from '../../store/recoveryKeys.ts'

/** The wrap of `row` under the recovery key `keyRef` (current or pending), if it has one. */
export function recoveryWrapOf(row: DataKeyRow, keyRef: string, refs: RecoveryKeyRefs): string | undefined {
  if (keyRef === refs.current && row.recovery_wrapped_key != null) return row.recovery_wrapped_key
  if (keyRef === refs.pending && row.pending_recovery_wrapped_key != null) return row.pending_recovery_wrapped_key
  return undefined
}
