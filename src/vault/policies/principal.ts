/**
 * Who asks the vault for an action, as policy enforcement sees it. The HTTP service passes the
 * bearer token's principal; the CLI and embedding code (which hold the root key anyway) pass none
 * and run under the built-in `allow-all` (which still refuses Solana transaction bytes as messages).
 */
export type Principal = {
  readonly kind: 'token'
  readonly id: string
  readonly name: string
  /** The policy name the token signs under; null for tokens made before policies (allow-all). */
  readonly policy: string | null
  /** The namespace the token is confined to; null: global. */
  readonly namespace: string | null
}
