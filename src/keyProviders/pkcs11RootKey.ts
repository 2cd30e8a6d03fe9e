/**
 * Finds or creates the root key on the token: an AES-256 secret key object generated ON the token,
 * persistent (CKA_TOKEN), private, sensitive and non-extractable, allowed only to wrap and unwrap.
 * An existing key that is extractable, not sensitive or not able to wrap and unwrap is refused:
 * a root key that can leave the HSM defeats the point of having one.
 */
import pkcs11js from 'pkcs11js'
import { CoffreError } from '../errors.ts'
import { providerFailed } from './pkcs11Errors.ts'

const secretKeyClass = [
  { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
  { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
]

function findKeysByLabel(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle, keyLabel: string): pkcs11js.Handle[] {
  try {
    pkcs11.C_FindObjectsInit(session, [...secretKeyClass, { type: pkcs11js.CKA_LABEL, value: keyLabel }])
    try {
      return pkcs11.C_FindObjects(session, 2)
    } finally {
      pkcs11.C_FindObjectsFinal(session)
    }
  } catch (cause) {
    throw providerFailed('finding the root key', cause)
  }
}

function generateRootKey(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle, keyLabel: string): pkcs11js.Handle {
  try {
    return pkcs11.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
      ...secretKeyClass,
      { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
      { type: pkcs11js.CKA_LABEL, value: keyLabel },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_WRAP, value: true },
      { type: pkcs11js.CKA_UNWRAP, value: true },
      { type: pkcs11js.CKA_ENCRYPT, value: false },
      { type: pkcs11js.CKA_DECRYPT, value: false },
      { type: pkcs11js.CKA_SIGN, value: false },
      { type: pkcs11js.CKA_VERIFY, value: false },
      { type: pkcs11js.CKA_DERIVE, value: false },
    ])
  } catch (cause) {
    throw providerFailed('generating the root key', cause)
  }
}

function checkRootKeyPolicy(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle, key: pkcs11js.Handle, keyLabel: string): void {
  let attributes: pkcs11js.Attribute[]
  try {
    attributes = pkcs11.C_GetAttributeValue(session, key, [
      { type: pkcs11js.CKA_VALUE_LEN },
      { type: pkcs11js.CKA_SENSITIVE },
      { type: pkcs11js.CKA_EXTRACTABLE },
      { type: pkcs11js.CKA_WRAP },
      { type: pkcs11js.CKA_UNWRAP },
    ])
  } catch (cause) {
    throw providerFailed('reading the root key attributes', cause)
  }
  const [valueLen, sensitive, extractable, wrap, unwrap] = attributes.map((a) => a.value)
  // CK_ULONG comes back as the platform's native-endian unsigned long (8 bytes on x64/arm64 Linux).
  const length = Buffer.isBuffer(valueLen) && valueLen.length === 8 ? Number(valueLen.readBigUInt64LE()) : undefined
  const flag = (value: unknown) => Buffer.isBuffer(value) && value[0] === 1
  const problems = [
    length === 32 ? undefined : 'not an AES-256 key',
    flag(sensitive) ? undefined : 'not sensitive',
    flag(extractable) ? 'extractable' : undefined,
    flag(wrap) && flag(unwrap) ? undefined : 'not allowed to wrap and unwrap',
  ].filter((problem) => problem !== undefined)
  if (problems.length > 0) {
    throw new CoffreError('COFFRE_INVALID_CONFIG', `The HSM key "${keyLabel}" cannot serve as a root key: ${problems.join(', ')}`, {
      details: { provider: 'pkcs11', keyLabel, problems },
    })
  }
}

/** The standard 3-byte key check value (CKA_CHECK_VALUE), hex, when the token provides it. */
function readCheckValue(pkcs11: pkcs11js.PKCS11, session: pkcs11js.Handle, key: pkcs11js.Handle): string | undefined {
  try {
    const value = pkcs11.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_CHECK_VALUE }])[0]?.value
    return Buffer.isBuffer(value) && value.length > 0 ? value.toString('hex') : undefined
  } catch {
    return undefined
  }
}

export function openRootKey(
  pkcs11: pkcs11js.PKCS11,
  session: pkcs11js.Handle,
  options: { keyLabel: string; tokenLabel: string; createKey: boolean },
): { key: pkcs11js.Handle; checkValue: string | undefined; created: boolean } {
  const found = findKeysByLabel(pkcs11, session, options.keyLabel)
  if (found.length > 1) {
    throw new CoffreError('COFFRE_INVALID_CONFIG', `Several AES keys on token "${options.tokenLabel}" are labelled "${options.keyLabel}"`, {
      details: { provider: 'pkcs11', tokenLabel: options.tokenLabel, keyLabel: options.keyLabel },
    })
  }
  let key = found[0]
  const created = key === undefined
  if (key === undefined) {
    if (!options.createKey) {
      throw new CoffreError('COFFRE_ROOT_KEY_MISSING', `No AES key labelled "${options.keyLabel}" on token "${options.tokenLabel}"`, {
        details: { provider: 'pkcs11', tokenLabel: options.tokenLabel, keyLabel: options.keyLabel },
      })
    }
    key = generateRootKey(pkcs11, session, options.keyLabel)
  }
  checkRootKeyPolicy(pkcs11, session, key, options.keyLabel)
  return { key, checkValue: readCheckValue(pkcs11, session, key), created }
}
