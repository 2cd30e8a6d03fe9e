/** Polymarket's L1 ClobAuth typed data: the address it attests for, on which chain. */
import { CLOB_AUTH_MESSAGE } from '../../polymarket/clobAuth.ts'
import type { TypedDataView } from './typedData.ts'
import { ownField, readAddress } from './typedDataValues.ts'
import { undecodable } from './undecodable.ts'

export type ClobAuthView = { readonly address: string; readonly chainId: bigint | undefined }

export function decodeClobAuth(view: TypedDataView): ClobAuthView | null {
  if (view.kind !== 'clob-auth') return null
  if (ownField(view.message, 'message') !== CLOB_AUTH_MESSAGE) return undecodable('a ClobAuth message carries the fixed attestation text')
  return { address: readAddress(ownField(view.message, 'address'), 'address'), chainId: view.domain.chainId }
}
