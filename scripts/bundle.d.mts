/** Bundles `entryPoints` (name → source path) plus the wallet worker into `outdir` (see bundle.mjs). */
export function bundle(entryPoints: Record<string, string>, outdir: string): Promise<void>
