/**
 * A set of E.164 numbers kept as their digits in a float (exact: E.164 has at most 15), in an open-addressing
 * table: a million numbers cost 16 MB and no object apiece, and adding one allocates nothing.
 */
export class NumberSet {
  private keys = new Float64Array(1 << 16);
  private count = 0;

  /** Adds `msisdn` (`+` and digits); false when it was there already. */
  add(msisdn: string): boolean {
    let key = 0;
    for (let i = 1; i < msisdn.length; i++) key = key * 10 + (msisdn.charCodeAt(i) - 48);
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    return this.insert(this.keys, key);
  }

  get size(): number {
    return this.count;
  }

  private insert(keys: Float64Array, key: number): boolean {
    const mask = keys.length - 1;
    // 0 marks an empty slot: no number is 0.
    for (let slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
      const found = keys[slot] as number;
      if (found === key) return false;
      if (found === 0) {
        keys[slot] = key;
        this.count++;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.keys;
    this.keys = new Float64Array(old.length * 2);
    this.count = 0;
    for (const key of old) if (key !== 0) this.insert(this.keys, key);
  }
}

function hash(key: number): number {
  const low = key % 0x100000000;
  const high = (key - low) / 0x100000000;
  // murmur3's finalizer, so that numbers differing in their last digits land far apart.
  let h = low ^ Math.imul(high, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
