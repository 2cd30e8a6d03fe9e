/**
 * The one canonical JSON of the code base: object keys sorted (recursively), no white space,
 * values as JSON.stringify writes them (undefined members left out, as JSON.stringify does). Used
 * for audit details (store/audit/hash.ts) and for Idempotency-Key request fingerprints
 * (http/requestFingerprint.ts). Kept in-house rather than an RFC 8785 package: both uses need only
 * a stable key order for values that came from JSON or from our own code, and the fingerprints
 * already stored must stay byte-identical.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    const record = value as Record<string, unknown>
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined && typeof record[key] !== 'function')
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
    return `{${members.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
