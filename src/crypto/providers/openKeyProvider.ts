/** Opens the root-key provider the configuration names. */
import type { RootKeyConfig } from '../../config.ts'
import { openAwsKmsProvider } from './awsKms.ts'
import type { KeyProvider } from './keyProvider.ts'
import { openLocalKeyProvider } from './local.ts'
import { openPkcs11Provider } from './pkcs11.ts'

export async function openKeyProvider(config: RootKeyConfig): Promise<KeyProvider> {
  switch (config.kind) {
    case 'local':
      return 'keyFile' in config ? openLocalKeyProvider({ keyFile: config.keyFile }) : openLocalKeyProvider({ key: config.masterKey })
    case 'pkcs11':
      return openPkcs11Provider({ module: config.module, tokenLabel: config.tokenLabel, keyLabel: config.keyLabel, pin: config.pin, createKey: config.createKey ?? false })
    case 'aws-kms':
      return openAwsKmsProvider({ keyId: config.keyId, region: config.region, ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }) })
  }
}
