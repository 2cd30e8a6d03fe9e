/** Optional counters for metrics (prom-client in the service); never given secret values. */
export type VaultObserver = {
  decrypted?(field: string): void
  signed?(kind: string): void
  audited?(action: string, count: number): void
  encrypted?(dataKeyId: string, count: number): void
  /** Secrets re-encrypted off `dataKeyId` by a committed rotation batch. */
  rotated?(dataKeyId: string, count: number): void
}
