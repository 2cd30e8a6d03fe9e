// Worker entry in a source checkout: registers tsx's loader, then serves walletWorker.ts's task.
// (Node 20 does not pass a programmatic tsx registration on to worker threads.)
const { register } = await import('tsx/esm/api')
register()
const { default: createWallets } = await import('./walletWorker.ts')
export default createWallets
