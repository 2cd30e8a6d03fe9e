/** Where the root key lives, as configured (parsed by config.ts; opened by openKeyProvider). */
export type RootKeyConfig =
  | { readonly kind: 'local'; readonly keyFile: string }
  | { readonly kind: 'local'; readonly masterKey: Uint8Array }
  | { readonly kind: 'pkcs11'; readonly module: string; readonly tokenLabel: string; readonly keyLabel: string; readonly pin: Uint8Array; readonly createKey?: boolean }
  | { readonly kind: 'aws-kms'; readonly keyId: string; readonly region: string; readonly endpoint?: string }
