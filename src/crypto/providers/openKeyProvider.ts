/** Opens the root-key provider the configuration names. */
import type { RootKeyConfig } from '../../config.ts'
import { CoffreError } from '../../errors.ts'
import type { KeyProvider } from './keyProvider.ts'
import { openLocalKeyProvider } from './local.ts'

export async function openKeyProvider(config: RootKeyConfig): Promise<KeyProvider> {
  switch (config.kind) {
    case 'local':
      return 'keyFile' in config ? openLocalKeyProvider({ keyFile: config.keyFile }) : openLocalKeyProvider({ key: config.masterKey })
    default:
      throw new CoffreError('COFFRE_UNSUPPORTED', `key provider ${config.kind} is not available in this build`)
  }
}
