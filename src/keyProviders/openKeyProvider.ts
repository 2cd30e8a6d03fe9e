/**
 * Opens the root-key provider the configuration names. Each kind is loaded only when chosen
 * (dynamic import), so a local-key start never loads pkcs11js or the AWS SDK
 * (test/keyProviders/lazyLoading.test.ts).
 */
import type { KeyProvider } from './keyProvider.ts'
import type { RootKeyConfig } from './rootKeyConfig.ts'

export async function openKeyProvider(config: RootKeyConfig): Promise<KeyProvider> {
  switch (config.kind) {
    case 'local': {
      const { openLocalKeyProvider } = await import('./local.ts')
      return 'keyFile' in config ? openLocalKeyProvider({ keyFile: config.keyFile }) : openLocalKeyProvider({ key: config.masterKey })
    }
    case 'pkcs11': {
      const { openPkcs11Provider } = await import('./pkcs11.ts')
      return openPkcs11Provider({ module: config.module, tokenLabel: config.tokenLabel, keyLabel: config.keyLabel, pin: config.pin, createKey: config.createKey ?? false })
    }
    case 'aws-kms': {
      const { openAwsKmsProvider } = await import('./awsKms.ts')
      return openAwsKmsProvider({ keyId: config.keyId, region: config.region, ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }) })
    }
  }
}
