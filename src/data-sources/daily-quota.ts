import type { CacheStore } from '../cache/cache-store.interface';
import { cacheKey } from '../cache/cache-store.interface';

/** `YYYY-MM-DD` of a date in UTC. Neither BLS nor Census documents when its day resets; counting UTC days is the choice. */
function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * An upstream's daily request budget (BLS, Census), shared by every instance through the cache store (a Redis counter
 * when Redis is configured) under the upstream's name. Every HTTP request to it, retries included, takes one unit
 * first; once the count passes the limit no instance calls it again until the next UTC day. When the store cannot answer (Redis down) each instance
 * falls back to counting its own requests, so the budget then holds per instance, not overall.
 */
export class DailyQuota {
  private local = { day: '', count: 0 };
  /** The day on which this instance was last refused (by its budget or by BLS). */
  private refusedDay = '';

  constructor(
    /** The upstream's name, part of the counter's key: `bls`, `census`. */
    private readonly upstream: string,
    private readonly store: CacheStore,
    readonly limit: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private key(day: string): string {
    return cacheKey(this.upstream, 'quota', day);
  }

  private localCount(day: string, by: number): number {
    if (this.local.day !== day) this.local = { day, count: 0 };
    this.local.count += by;
    return this.local.count;
  }

  /** Takes one request from today's budget; false (and nothing taken that matters) when it is used up. */
  async tryAcquire(): Promise<boolean> {
    const day = utcDay(this.now());
    const local = this.localCount(day, 1);
    const shared = await this.store.increment(this.key(day), 1, 2 * 86400);
    const granted = (shared ?? local) <= this.limit;
    if (!granted) this.refusedDay = day;
    return granted;
  }

  /**
   * Whether this instance already knows today's budget is used up (a refusal today, by the budget or by the upstream), so a
   * request can be refused at once, without a store round trip or a wait for the local rate window.
   */
  exhaustedToday(): boolean {
    return this.refusedDay === utcDay(this.now());
  }

  /** Gives back a unit taken for a request that never reached the upstream. */
  async refund(): Promise<void> {
    const day = utcDay(this.now());
    this.localCount(day, -1);
    await this.store.increment(this.key(day), -1, 2 * 86400);
  }

  /** The upstream said its daily threshold is reached: use up today's budget for every instance. */
  async exhaust(): Promise<void> {
    const day = utcDay(this.now());
    this.refusedDay = day;
    this.localCount(day, this.limit + 1);
    await this.store.increment(this.key(day), this.limit + 1, 2 * 86400);
  }

  /** Requests left today, as far as this instance can tell. */
  async remaining(): Promise<number> {
    const day = utcDay(this.now());
    const shared = await this.store.increment(this.key(day), 0, 2 * 86400);
    return Math.max(0, this.limit - (shared ?? this.localCount(day, 0)));
  }
}
