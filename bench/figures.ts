/** Shared shape and helpers of every benchmark: figures with an optional peer baseline and ratio. */
export type BenchFigure = { name: string; value: number; unit: string; baseline?: string; ratio?: number; target?: string }

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2
}

/** Operations per second of `run(count)`, median over `rounds`. */
export async function ratePerSecond(rounds: number, count: number, run: (count: number) => unknown): Promise<number> {
  const rates: number[] = []
  for (let i = 0; i < rounds; i++) {
    const start = performance.now()
    await run(count)
    rates.push((count / (performance.now() - start)) * 1000)
  }
  return median(rates)
}

export function formatFigures(figures: readonly BenchFigure[]): string {
  const width = Math.max(...figures.map((f) => f.name.length), 10)
  return figures
    .map((f) => {
      const value = Number.isInteger(f.value) || Math.abs(f.value) >= 100 ? Math.round(f.value).toLocaleString('en-US') : f.value.toPrecision(3)
      const ratio = f.ratio === undefined ? '' : `  ${f.ratio.toFixed(2)}× ${f.baseline ?? ''}`
      const target = f.target === undefined ? '' : `  (target ${f.target})`
      return `${f.name.padEnd(width)}  ${value.padStart(12)} ${f.unit}${ratio}${target}`
    })
    .join('\n')
}
