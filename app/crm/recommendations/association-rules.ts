// Item-to-item association rules ("bought A → also bought B") from baskets, counted in typed
// arrays: product order counts, then pair counts in a dense triangle over the products frequent
// enough to reach the minimum pair count (Apriori's pruning: a pair is never more frequent than
// its rarer product). Pure: no database, no I/O.

/**
 * Baskets as the repository streams them: basket b holds `items[basketStarts[b] .. basketStarts[b + 1])`,
 * dense product indexes 0..productCount−1, distinct within a basket.
 */
export interface Baskets {
  basketStarts: Int32Array;
  items: Int32Array;
  basketCount: number;
  productCount: number;
}

export interface MiningOptions {
  /** Rules need at least this many orders holding both products (and `minSupport` of all orders). */
  minPairOrders: number;
  minSupport: number;
  /** Only positive associations: a bestseller everyone buys anyway (lift ≈ 1) is no recommendation. */
  minLift: number;
  /**
   * The lift must hold for the pair count less this many standard errors (√count, Poisson):
   * among thousands of pairs of popular products some beat 1.5 by chance on a few orders, and
   * testing that many pairs needs a wide margin (3.5 ≈ one chance in 4,000 each).
   */
  liftMarginZ: number;
  /** Rules kept per product, strongest first. */
  topK: number;
  /**
   * Bigger baskets (wholesale, staff test orders) add no pairs: their n² pairs would swamp
   * everyone else's and cost quadratic time. They still count as orders and for product counts.
   */
  maxBasketSize: number;
  /** The dense pair triangle's side: 8,192 products is 134 MB of counters. */
  maxPairedProducts: number;
}

export const DEFAULT_MINING_OPTIONS: MiningOptions = {
  minPairOrders: 5,
  minSupport: 0.00001,
  minLift: 1.5,
  liftMarginZ: 3.5,
  topK: 10,
  maxBasketSize: 50,
  maxPairedProducts: 8_192,
};

export interface AssociationRule {
  /** Dense product indexes, as in the baskets. */
  product: number;
  associated: number;
  /** 1 = strongest. */
  rank: number;
  pairOrders: number;
  support: number;
  confidence: number;
  lift: number;
}

export interface MiningResult {
  rules: AssociationRule[];
  /** Orders holding each product (dense index). */
  productOrders: Uint32Array;
  basketCount: number;
  pairedProducts: number;
  skippedBaskets: number;
  minPairOrders: number;
}

export function mineAssociationRules(baskets: Baskets, options: MiningOptions = DEFAULT_MINING_OPTIONS): MiningResult {
  const { basketStarts, items, basketCount, productCount } = baskets;
  const productOrders = new Uint32Array(productCount);
  for (let i = 0; i < basketStarts[basketCount]!; i++) productOrders[items[i]!]!++;
  const minPairOrders = Math.max(options.minPairOrders, Math.ceil(options.minSupport * basketCount));

  // The products that can reach the minimum, most ordered first, capped at the triangle's side.
  const paired = Array.from({ length: productCount }, (_, p) => p)
    .filter((p) => productOrders[p]! >= minPairOrders)
    .sort((a, b) => productOrders[b]! - productOrders[a]! || a - b)
    .slice(0, options.maxPairedProducts);
  const side = paired.length;
  const pairedIndex = new Int32Array(productCount).fill(-1);
  paired.forEach((product, index) => (pairedIndex[product] = index));

  // Row a of the upper triangle starts at a·(2·side − a − 1)/2; cell (a, b), a < b, is that + b − a − 1.
  const pairs = new Uint32Array((side * (side - 1)) / 2);
  const rowStart = new Float64Array(side);
  for (let a = 0; a < side; a++) rowStart[a] = (a * (2 * side - a - 1)) / 2 - a - 1;
  const scratch = new Int32Array(options.maxBasketSize);
  let skippedBaskets = 0;
  for (let b = 0; b < basketCount; b++) {
    const start = basketStarts[b]!;
    const end = basketStarts[b + 1]!;
    if (end - start > options.maxBasketSize) {
      skippedBaskets++;
      continue;
    }
    let n = 0;
    for (let i = start; i < end; i++) {
      const index = pairedIndex[items[i]!]!;
      if (index >= 0) scratch[n++] = index;
    }
    if (n < 2) continue;
    const basket = scratch.subarray(0, n).sort();
    for (let i = 0; i < n - 1; i++) {
      const row = rowStart[basket[i]!]!;
      for (let j = i + 1; j < n; j++) pairs[row + basket[j]!]!++;
    }
  }

  const top = new TopRules(side, options.topK);
  for (let a = 0; a < side - 1; a++) {
    const row = rowStart[a]!;
    const ordersA = productOrders[paired[a]!]!;
    for (let b = a + 1; b < side; b++) {
      const together = pairs[row + b]!;
      if (together < minPairOrders) continue;
      const ordersB = productOrders[paired[b]!]!;
      const expected = (ordersA * ordersB) / basketCount;
      if (together - options.liftMarginZ * Math.sqrt(together) < options.minLift * expected) continue;
      const lift = together / expected;
      top.offer(a, b, together / ordersA, lift, together);
      top.offer(b, a, together / ordersB, lift, together);
    }
  }
  const rules: AssociationRule[] = [];
  top.forEach((from, to, rank, together, confidence, lift) =>
    rules.push({
      product: paired[from]!,
      associated: paired[to]!,
      rank,
      pairOrders: together,
      support: together / basketCount,
      confidence,
      lift,
    }),
  );
  return { rules, productOrders, basketCount, pairedProducts: side, skippedBaskets, minPairOrders };
}

/** The K best rules per product by confidence (then lift, then pair count), kept sorted by insertion. */
class TopRules {
  private readonly size: Uint8Array;
  private readonly to: Int32Array;
  private readonly confidence: Float64Array;
  private readonly lift: Float64Array;
  private readonly together: Uint32Array;

  constructor(
    products: number,
    private readonly k: number,
  ) {
    this.size = new Uint8Array(products);
    this.to = new Int32Array(products * k);
    this.confidence = new Float64Array(products * k);
    this.lift = new Float64Array(products * k);
    this.together = new Uint32Array(products * k);
  }

  private better(slot: number, confidence: number, lift: number, together: number) {
    if (confidence !== this.confidence[slot]) return confidence > this.confidence[slot]!;
    if (lift !== this.lift[slot]) return lift > this.lift[slot]!;
    return together > this.together[slot]!;
  }

  offer(from: number, to: number, confidence: number, lift: number, together: number) {
    const base = from * this.k;
    const size = this.size[from]!;
    if (size === this.k && !this.better(base + size - 1, confidence, lift, together)) return;
    let position = Math.min(size, this.k - 1);
    while (position > 0 && this.better(base + position - 1, confidence, lift, together)) {
      this.move(base + position - 1, base + position);
      position--;
    }
    const slot = base + position;
    this.to[slot] = to;
    this.confidence[slot] = confidence;
    this.lift[slot] = lift;
    this.together[slot] = together;
    if (size < this.k) this.size[from] = size + 1;
  }

  private move(from: number, to: number) {
    this.to[to] = this.to[from]!;
    this.confidence[to] = this.confidence[from]!;
    this.lift[to] = this.lift[from]!;
    this.together[to] = this.together[from]!;
  }

  forEach(visit: (from: number, to: number, rank: number, together: number, confidence: number, lift: number) => void) {
    for (let from = 0; from < this.size.length; from++) {
      for (let i = 0; i < this.size[from]!; i++) {
        const slot = from * this.k + i;
        visit(from, this.to[slot]!, i + 1, this.together[slot]!, this.confidence[slot]!, this.lift[slot]!);
      }
    }
  }
}
