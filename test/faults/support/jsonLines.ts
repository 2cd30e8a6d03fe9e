/** The complete JSON lines a killed child printed (a line cut off by the kill is not acknowledged). */
export function parseJsonLines<T>(text: string): T[] {
  const lines = text.split('\n')
  lines.pop() // the text after the last newline: empty, or a line the kill cut off
  const values: T[] = []
  for (const line of lines) {
    if (line.trim() === '') continue
    try {
      values.push(JSON.parse(line) as T)
    } catch {
      // pretty-printed or partial output is not an acknowledgement
    }
  }
  return values
}
