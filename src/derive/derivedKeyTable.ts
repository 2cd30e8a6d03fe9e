/**
 * Compact membership table for one identity's derived public keys.
 *
 * Keys live back to back in one byte array (33 bytes each, position = derivation index). An
 * open-addressing hash table of 32-bit tags (the first 32 bits of x, uniform because x comes from a
 * secret scalar) and positions points into it; a tag match is confirmed by comparing all 33 bytes, so
 * tag collisions cost a comparison, never a wrong answer. The table keeps the LOWEST position of a
 * repeated key, which is what a linear scan from index 0 would find first.
 * About 33 + 8 × 1.5…3 bytes per key, against ~150 for a Map of hex strings.
 */
const KEY_BYTES = 33
const EMPTY = 0

export class DerivedKeyTable {
  #keys = new Uint8Array(0)
  #count = 0
  #positions = new Int32Array(8) // position + 1; 0 means empty
  #tags = new Uint32Array(8)

  /** Number of derived keys held: derived(0 … count − 1). */
  get count(): number {
    return this.#count
  }

  /** Bytes held by the typed arrays (the whole cost of the table apart from a few object headers). */
  get byteLength(): number {
    return this.#keys.byteLength + this.#positions.byteLength + this.#tags.byteLength
  }

  /** Makes room for `total` keys in one allocation when the final size is known. */
  reserve(total: number): void {
    if (total * KEY_BYTES > this.#keys.length) {
      const grown = new Uint8Array(total * KEY_BYTES)
      grown.set(this.#keys.subarray(0, this.#count * KEY_BYTES))
      this.#keys = grown
    }
    let slots = this.#positions.length
    while (total * 3 > slots * 2) slots *= 2 // load factor ≤ 2/3
    if (slots !== this.#positions.length) this.#rehash(slots)
  }

  /** Appends derived(count); `key` must be a 33-byte compressed point. */
  append(key: Uint8Array): void {
    const position = this.#count
    const full = (position + 1) * KEY_BYTES > this.#keys.length
    this.reserve(full ? Math.max(position + 1, Math.ceil(position * 1.5)) : position + 1)
    this.#keys.set(key, position * KEY_BYTES)
    this.#count = position + 1
    if (this.indexOf(key) === -1) this.#insert(position, tagOf(key))
  }

  /** Lowest derivation index whose public key equals `key` (33 bytes), or −1. */
  indexOf(key: Uint8Array): number {
    const mask = this.#positions.length - 1
    const tag = tagOf(key)
    for (let slot = tag & mask; ; slot = (slot + 1) & mask) {
      const stored = this.#positions[slot] ?? EMPTY
      if (stored === EMPTY) return -1
      if (this.#tags[slot] === tag && this.#equalsAt(stored - 1, key)) return stored - 1
    }
  }

  #equalsAt(position: number, key: Uint8Array): boolean {
    const offset = position * KEY_BYTES
    for (let i = 0; i < KEY_BYTES; i++) if (this.#keys[offset + i] !== key[i]) return false
    return true
  }

  #insert(position: number, tag: number): void {
    const mask = this.#positions.length - 1
    let slot = tag & mask
    while (this.#positions[slot] !== EMPTY) slot = (slot + 1) & mask
    this.#positions[slot] = position + 1
    this.#tags[slot] = tag
  }

  #rehash(slots: number): void {
    const positions = this.#positions
    const tags = this.#tags
    this.#positions = new Int32Array(slots)
    this.#tags = new Uint32Array(slots)
    for (let slot = 0; slot < positions.length; slot++) {
      const stored = positions[slot] ?? EMPTY
      if (stored !== EMPTY) this.#insert(stored - 1, tags[slot] ?? 0)
    }
  }
}

/** First 32 bits of the x-coordinate (bytes 1…4 of the compressed key). */
function tagOf(key: Uint8Array): number {
  return (((key[1] ?? 0) << 24) | ((key[2] ?? 0) << 16) | ((key[3] ?? 0) << 8) | (key[4] ?? 0)) >>> 0
}
