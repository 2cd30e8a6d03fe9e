/**
 * Coffre's library entry. `openVault(config)` opens a vault; everything else here is the public,
 * stable surface (types, errors, configuration helpers, the derived-key scheme).
 */
export { openVault } from './vault/openVault.ts'
export type { Vault, OpenVaultOptions } from './vault/openVault.ts'
export type { User } from './vault/users/user.ts'
export type { UserRef } from './vault/users/findUser.ts'
export type { CreateUserInput, CreateUserResult } from './vault/users/createUser.ts'
export type { ImportUserInput } from './vault/users/importUser.ts'
export type { ExportedWallet } from './vault/users/exportUser.ts'
export type { DoctorReport, DoctorCheck } from './vault/doctor.ts'
export type { VaultObserver } from './vault/context.ts'
export type { VaultConfig, RootKeyConfig } from './config.ts'
export { parseVaultConfig } from './config.ts'
export type { StoreConfig } from './store/openStore.ts'
export type { AuditVerification } from './store/audit/verify.ts'
export type { KeyProvider, KeyProviderInfo, DataKeyContext } from './crypto/providers/keyProvider.ts'
export { CoffreError, errorCodes, isCoffreError } from './errors.ts'
export type { ErrorCode } from './errors.ts'
