// Per-shop leaky buckets for the GraphQL cost limit, plus injected failures for tests.

export const MAXIMUM_AVAILABLE = 2000;
export const RESTORE_RATE = 100; // points per second
export const MAX_SINGLE_QUERY_COST = 1000;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export type InjectedFailure = 401 | 429 | 500;

class Bucket {
  private available = MAXIMUM_AVAILABLE;
  private updatedAt = Date.now();

  private refill(now: number): void {
    this.available = Math.min(MAXIMUM_AVAILABLE, this.available + ((now - this.updatedAt) / 1000) * RESTORE_RATE);
    this.updatedAt = now;
  }

  set(available: number, now = Date.now()): void {
    this.available = Math.max(0, Math.min(MAXIMUM_AVAILABLE, available));
    this.updatedAt = now;
  }

  /** Takes `cost` points if they are available now. */
  tryTake(cost: number, now = Date.now()): boolean {
    this.refill(now);
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  /** Returns points (the difference between requested and actual cost). */
  give(points: number, now = Date.now()): void {
    this.refill(now);
    this.available = Math.min(MAXIMUM_AVAILABLE, this.available + points);
  }

  status(now = Date.now()): ThrottleStatus {
    this.refill(now);
    return {
      maximumAvailable: MAXIMUM_AVAILABLE,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: RESTORE_RATE,
    };
  }
}

export class ThrottleRegistry {
  private readonly buckets = new Map<string, Bucket>();
  private readonly failures = new Map<string, InjectedFailure[]>();
  private readonly delays = new Map<string, number[]>();

  bucket(shop: string): Bucket {
    let bucket = this.buckets.get(shop);
    if (!bucket) {
      bucket = new Bucket();
      this.buckets.set(shop, bucket);
    }
    return bucket;
  }

  failNext(shop: string, status: InjectedFailure, times = 1): void {
    const queue = this.failures.get(shop) ?? [];
    for (let i = 0; i < times; i++) queue.push(status);
    this.failures.set(shop, queue);
  }

  /** A slow Shopify: the next `times` calls are answered only after `delayMs`. */
  slowNext(shop: string, delayMs: number, times = 1): void {
    const queue = this.delays.get(shop) ?? [];
    for (let i = 0; i < times; i++) queue.push(delayMs);
    this.delays.set(shop, queue);
  }

  /** The delay to inject into this call, if a test queued one. */
  takeDelay(shop: string): number | undefined {
    return this.delays.get(shop)?.shift();
  }

  /** The failure to inject into this call, if a test queued one. */
  takeFailure(shop: string): InjectedFailure | undefined {
    return this.failures.get(shop)?.shift();
  }
}
