/** An audit event as the application records it. Details are non-secret facts only. */
export type AuditDetails = Readonly<Record<string, string | number | boolean | null>>

export type AuditEntry = {
  readonly action: string
  /** Who asked: `cli`, `http:<token name>`, `system:<job>`… */
  readonly actor: string
  readonly userId?: string | null
  /** What was touched: `wallet:polygon`, `data_key:dk_…`, `pair:<uuid>`… */
  readonly subject?: string | null
  readonly details?: AuditDetails
}

export type AuditRecord = {
  readonly seq: number
  readonly at: string
  readonly action: string
  readonly actor: string
  readonly userId: string | null
  readonly subject: string | null
  readonly details: AuditDetails
  readonly prevHash: string
  readonly hash: string
}
