// Builds the miner's baskets from (order, product) rows in order order: products get dense
// indexes as they first appear, a product twice in one order (two variants, two lines) counts
// once, and storage grows in typed arrays (5,000,000 lines are 20 MB of items, not 5M objects).

import type { Baskets } from "./association-rules";

export class BasketBuilder {
  private starts: Int32Array = new Int32Array(1 << 16);
  private items: Int32Array = new Int32Array(1 << 18);
  private length = 0;
  private baskets = 0;
  private currentOrder: number | null = null;
  private readonly productIndex = new Map<number, number>();
  /** Shopify product id of each dense index. */
  readonly productIds: number[] = [];

  /** One order line: `orderId` must not go back to an order already closed (rows sorted by order). */
  add(orderId: number, productShopifyId: number) {
    if (orderId !== this.currentOrder) {
      this.currentOrder = orderId;
      if (this.baskets + 2 > this.starts.length) this.starts = grow(this.starts);
      this.starts[this.baskets] = this.length;
      this.baskets++;
    }
    let index = this.productIndex.get(productShopifyId);
    if (index === undefined) {
      index = this.productIds.length;
      this.productIndex.set(productShopifyId, index);
      this.productIds.push(productShopifyId);
    }
    for (let i = this.starts[this.baskets - 1]!; i < this.length; i++) if (this.items[i] === index) return;
    if (this.length === this.items.length) this.items = grow(this.items);
    this.items[this.length++] = index;
  }

  build(): Baskets {
    this.starts[this.baskets] = this.length;
    return {
      basketStarts: this.starts.subarray(0, this.baskets + 1),
      items: this.items.subarray(0, this.length),
      basketCount: this.baskets,
      productCount: this.productIds.length,
    };
  }
}

function grow(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
