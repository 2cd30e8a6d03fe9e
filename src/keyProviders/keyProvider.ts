/**
 * A root-key provider holds the KEK. It never hands the KEK out: it only wraps and unwraps data
 * keys (DEKs). Implementations: `local` (key file / env), `pkcs11` (HSM), `aws-kms`.
 *
 * The context binds a wrapped DEK to its identity: a wrapped key copied to another data-key id
 * fails to unwrap (AES-GCM associated data for `local`, the KMS encryption context for `aws-kms`;
 * for `pkcs11`, AES key wrap has no associated data, so the keyring also authenticates the id
 * through the DEK's own check value).
 */
export type KeyProviderKind = 'local' | 'pkcs11' | 'aws-kms'

export type DataKeyContext = {
  /** The data key's id, e.g. `dk_01J…`. */
  readonly dataKeyId: string
}

export type KeyProviderInfo = {
  readonly kind: KeyProviderKind
  /** Non-secret reference of the root key: a fingerprint, a token key label, a KMS key ARN. */
  readonly keyRef: string
  /** Extra non-secret facts for `coffre doctor` (module path, token label, region…). */
  readonly details: Readonly<Record<string, string>>
}

export interface KeyProvider {
  readonly info: KeyProviderInfo
  /** A fresh random 32-byte DEK, returned in plaintext (the caller wipes it) and wrapped. */
  generateDataKey(context: DataKeyContext): Promise<{ plaintext: Uint8Array; wrapped: Uint8Array }>
  /** Wraps an existing DEK (used by root-key rotation). Does not keep or alias `plaintext`. */
  wrapDataKey(plaintext: Uint8Array, context: DataKeyContext): Promise<Uint8Array>
  /**
   * Unwraps a DEK. Throws `CoffreError('COFFRE_ROOT_KEY_INVALID')` when the wrapped key does not
   * authenticate under this root key (wrong key, tampered value or wrong context), and
   * `COFFRE_KEY_PROVIDER_FAILED` when the provider itself fails.
   */
  unwrapDataKey(wrapped: Uint8Array, context: DataKeyContext): Promise<Uint8Array>
  /** Releases sessions, handles and key material held by the provider. */
  close(): Promise<void>
}
