/**
 * The layer arrows of docs/architecture.md, enforced (scripts/test.sh runs this; a violation fails CI):
 *   cli/, http/  →  vault/  →  domain modules (wallet, crypto, keyProviders, polymarket, chain,
 *   policy, recovery, derive, ops)  →  store/
 * crypto/ imports nothing of ours but errors.ts; store/ imports no layer above it (only errors.ts,
 * ids.ts and canonicalJson.ts at the top level); no cycles,
 * type-only imports included.
 */
const DOMAIN = '(wallet|crypto|keyProviders|polymarket|chain|policy|recovery|derive|ops)'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'No import cycles, type-only ones included.', from: { path: '^src/' }, to: { circular: true } },
    {
      name: 'edges-through-the-vault',
      severity: 'error',
      comment: 'cli/ and http/ reach keys and rows only through vault services (the vault is the only door).',
      from: { path: '^src/(cli|http)/' },
      to: { path: ['^src/store/', '^src/ops/', '^src/keyProviders/', '^src/vault/(internals|context|writeTransaction)\\.ts$', '^src/vault/keyring/', '^src/crypto/(secretSealer|keyring)\\.ts$'] },
    },
    {
      name: 'domain-below-the-vault',
      severity: 'error',
      comment: 'Domain modules never import the vault or the edges.',
      from: { path: `^src/${DOMAIN}/` },
      to: { path: '^src/(vault|cli|http)/' },
    },
    {
      name: 'store-at-the-bottom',
      severity: 'error',
      comment: 'store/ imports only itself, errors.ts, ids.ts and canonicalJson.ts (and libraries).',
      from: { path: '^src/store/' },
      to: { path: '^src/', pathNot: ['^src/store/', '^src/errors\\.ts$', '^src/ids\\.ts$', '^src/canonicalJson\\.ts$'] },
    },
    {
      name: 'crypto-is-pure',
      severity: 'error',
      comment: 'crypto/ imports nothing of ours but errors.ts: no store, no provider, no I/O layer.',
      from: { path: '^src/crypto/' },
      to: { path: '^src/', pathNot: ['^src/crypto/', '^src/errors\\.ts$'] },
    },
    {
      name: 'keyring-behind-its-store-interface',
      severity: 'error',
      comment: 'The keyring reaches data-key rows only through DataKeyStore (vault/keyring/dataKeyStore.ts, implemented by store/dataKeyStore.ts): it may import store types, never store code.',
      from: { path: '^src/vault/keyring/' },
      to: { path: '^src/store/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
}
