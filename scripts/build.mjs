// Bundles the CLI (and the wallet worker) into dist/ with esbuild, so `coffre` starts in a fraction
// of the time loading hundreds of ESM files through tsx takes. Run by `npm ci` (prepare) and by
// scripts/test.sh; bin/coffre.js falls back to tsx when dist/ is missing or older than src/.
import { bundle } from './bundle.mjs'

await bundle({ cli: 'src/cli/index.ts' }, 'dist')
