/**
 * Floating-point rounding exactly as Polymarket's official TypeScript client does it
 * (its `utilities.ts`), because order amounts must match the client's bytes: the CLOB
 * rejects amounts that break its tick/size rules, and an oracle test compares our
 * amounts with the client's. Decimal places are counted on `Number#toString()`.
 */
export function decimalPlaces(num: number): number {
  if (Number.isInteger(num)) return 0
  const parts = num.toString().split('.')
  return parts.length <= 1 ? 0 : (parts[1] as string).length
}

export function roundNormal(num: number, decimals: number): number {
  if (decimalPlaces(num) <= decimals) return num
  return Math.round((num + Number.EPSILON) * 10 ** decimals) / 10 ** decimals
}

export function roundDown(num: number, decimals: number): number {
  if (decimalPlaces(num) <= decimals) return num
  return Math.floor(num * 10 ** decimals) / 10 ** decimals
}

export function roundUp(num: number, decimals: number): number {
  if (decimalPlaces(num) <= decimals) return num
  return Math.ceil(num * 10 ** decimals) / 10 ** decimals
}
