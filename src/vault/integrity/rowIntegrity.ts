/**
 * The vault's row integrity: the MAC key (unwrapped once per process, wiped on close) and the MAC
 * of each authenticated row. `require` is the guard every read path of a granting or identifying
 * row goes through: a row whose MAC does not match (or is missing) is unusable — typed error
 * COFFRE_INTEGRITY_FAILED, and the failure is reported (audited by the vault) once per row.
 */
import { CoffreError } from '../../errors.ts'
import { computeRowMac, rowMacMatches } from './rowMac.ts'
import { apiTokenMacFields, clobCredentialMacFields, dataKeyMacFields, derivedPublicKeyMacFields, pairMacFields, pairPublicKeyMacFields, rowName, userMacFields, walletMacFields, type MacedTable } from './rowFields.ts'

// Each table's field list takes that table's row; the map is keyed by table name so callers pass rows as read.
const FIELDS: Readonly<Record<MacedTable, (row: never) => Record<string, unknown>>> = {
  api_tokens: apiTokenMacFields,
  users: userMacFields,
  wallets: walletMacFields,
  data_keys: dataKeyMacFields,
  derived_public_keys: derivedPublicKeyMacFields,
  pairs: pairMacFields,
  pair_public_keys: pairPublicKeyMacFields,
  clob_credentials: clobCredentialMacFields,
}

type AnyRow = Record<string, unknown> & { row_mac?: string | null }

export type IntegrityFailure = { readonly table: MacedTable; readonly row: string }

export class RowIntegrity {
  #key: Uint8Array | null
  #onFailure: (failure: IntegrityFailure) => void = () => undefined
  readonly #reported = new Set<string>()

  /** Takes ownership of `key` (wiped by `close`). */
  constructor(key: Uint8Array) {
    if (!(key instanceof Uint8Array) || key.length !== 32) throw new RangeError('the MAC key must be 32 bytes')
    this.#key = key
  }

  /** Called once per bad row (the vault audits it); never throws into the caller. */
  onFailure(report: (failure: IntegrityFailure) => void): void {
    this.#onFailure = report
  }

  /** The MAC to store with `row` in `table`. */
  macOf(table: MacedTable, row: object): string {
    return computeRowMac(this.#live(), table, FIELDS[table](row as never))
  }

  /** Whether `row` (as read, with its `row_mac`) authenticates. */
  check(table: MacedTable, row: object): boolean {
    return rowMacMatches(this.#live(), table, FIELDS[table](row as never), (row as AnyRow).row_mac)
  }

  /** Refuses a row that does not authenticate: COFFRE_INTEGRITY_FAILED, naming the row (never its contents). */
  require(table: MacedTable, row: object): void {
    if (this.check(table, row)) return
    const name = rowName(table, row as AnyRow)
    if (!this.#reported.has(name)) {
      this.#reported.add(name)
      try {
        this.#onFailure({ table, row: name })
      } catch {
        // reporting must not hide the refusal
      }
    }
    throw integrityFailed(name)
  }

  close(): void {
    this.#key?.fill(0)
    this.#key = null
  }

  #live(): Uint8Array {
    if (this.#key === null) throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', 'the vault is closed (MAC key wiped)')
    return this.#key
  }
}

export function integrityFailed(row: string): CoffreError {
  return new CoffreError('COFFRE_INTEGRITY_FAILED', `row ${row} does not authenticate under the vault's MAC key: it was written or changed outside Coffre`, { details: { row } })
}
