/** Finds a token's slot by label (slot ids are not stable) and names keys with RFC 7512 URIs. */
import pkcs11js from 'pkcs11js'
import { CoffreError } from '../errors.ts'
import { providerFailed } from './pkcs11Errors.ts'

export function findTokenSlot(pkcs11: pkcs11js.PKCS11, tokenLabel: string): pkcs11js.Handle {
  let slots: pkcs11js.Handle[]
  try {
    slots = pkcs11.C_GetSlotList(true)
  } catch (cause) {
    throw providerFailed('C_GetSlotList', cause)
  }
  const matches = slots.filter((slot) => {
    try {
      // Token labels are blank-padded to 32 bytes.
      return pkcs11.C_GetTokenInfo(slot).label.trimEnd() === tokenLabel
    } catch {
      return false
    }
  })
  if (matches.length !== 1) {
    const problem = matches.length === 0 ? 'No' : 'More than one'
    throw new CoffreError('COFFRE_KEY_PROVIDER_FAILED', `${problem} PKCS#11 token labelled "${tokenLabel}"`, {
      details: { provider: 'pkcs11', tokenLabel, tokensFound: matches.length },
    })
  }
  return matches[0] as pkcs11js.Handle
}

/** RFC 7512 path attribute value: unreserved characters and a few sub-delims stay, the rest is %XX. */
const encodeAttribute = (value: string): string =>
  Array.from(Buffer.from(value, 'utf8'), (byte) => {
    const char = String.fromCharCode(byte)
    return /[A-Za-z0-9\-._~:[\]@!$'()*+,=&]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }).join('')

export const pkcs11KeyUri = (tokenLabel: string, keyLabel: string): string =>
  `pkcs11:token=${encodeAttribute(tokenLabel)};object=${encodeAttribute(keyLabel)}`
