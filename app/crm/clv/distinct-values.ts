// Positions of doubles among the distinct values seen so far, by open addressing on their bits:
// the fits index a million ages and recencies against a few thousand distinct ones, where a Map
// keyed by doubles costs several times more.

const scratch = new Float64Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

export class DistinctValueIndex {
  private bits = 10;
  private slots = new Int32Array(1 << this.bits).fill(-1);
  private distinct = new Float64Array(256);
  private size = 0;

  /** The value's position in `values()`, added at the end if it is new. −0 and +0 are one value. */
  positionOf(value: number): number {
    const key = value + 0;
    const slot = this.slotOf(key, this.slots, this.bits);
    const found = this.slots[slot]!;
    if (found !== -1) return found;
    if (this.size === this.distinct.length) {
      const grown = new Float64Array(this.size * 2);
      grown.set(this.distinct);
      this.distinct = grown;
    }
    const position = this.size++;
    this.distinct[position] = key;
    this.slots[slot] = position;
    // Kept at most half full, so probes stay short.
    if (this.size * 2 > this.slots.length) {
      this.bits++;
      const grown = new Int32Array(1 << this.bits).fill(-1);
      for (let k = 0; k < this.size; k++) grown[this.slotOf(this.distinct[k]!, grown, this.bits)] = k;
      this.slots = grown;
    }
    return position;
  }

  /** The distinct values in the order they were first seen. */
  values(): Float64Array {
    return this.distinct.slice(0, this.size);
  }

  private slotOf(value: number, slots: Int32Array, bits: number): number {
    scratch[0] = value;
    const mask = (1 << bits) - 1;
    let slot = Math.imul(scratchBits[0]! ^ Math.imul(scratchBits[1]!, 0x9e3779b1), 0x85ebca6b) >>> (32 - bits);
    while (slots[slot]! !== -1 && this.distinct[slots[slot]!]! !== value) slot = (slot + 1) & mask;
    return slot;
  }
}
