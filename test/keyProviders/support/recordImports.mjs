// Preloaded with `node --import`: records every module URL the process resolves into the file
// named by COFFRE_RECORD_IMPORTS (one per line), through a module resolve hook.
import { register } from 'node:module'

register('./recordImportsHooks.mjs', import.meta.url, { data: { file: process.env.COFFRE_RECORD_IMPORTS } })
