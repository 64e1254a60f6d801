import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

export interface RateLimits {
  /** Tokens a source regains per second; a post the receiver takes costs one. */
  perSecond: number;
  /** Tokens a source can hold: how many posts it may send at once after a quiet spell. */
  burst: number;
  /** Cost of a refused post (malformed, oversized, not a report, wrong method or endpoint under the secret). */
  refusedCost: number;
  /** Cost of a request whose path does not start with the secret: someone probing for it. */
  strayCost: number;
  /** Sources tracked at once; the one seen least recently is forgotten first. */
  maxSources: number;
}

/**
 * The platform posts up to two reports per message (submitted, then final) at up to 10,000 messages per
 * second; a scanner gets ten probes, then one every fifth of a second.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  perSecond: 20_000,
  burst: 40_000,
  refusedCost: 20,
  strayCost: 4_000,
  maxSources: 10_000,
};

interface Bucket {
  tokens: number;
  at: number;
}

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/**
 * A token bucket per source address. A request is admitted while its source holds a token (the cost of a
 * post taken in) and then pays its cost, which may leave the balance in debt (down to minus one burst):
 * a costly request is never refused for its cost alone, and its source waits the debt off before the next.
 */
export class SourceLimiter {
  /** In the order sources were first seen: the first one goes when too many are tracked. */
  private readonly buckets = new Map<string, Bucket>();
  private sweptAt: number;

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.sweptAt = now();
  }

  admit(source: string, cost: number): Admission {
    const bucket = this.refilled(source);
    if (bucket.tokens < 1) {
      return { admitted: false, retryAfterSeconds: Math.ceil((1 - bucket.tokens) / this.limits.perSecond) };
    }
    bucket.tokens = Math.max(-this.limits.burst, bucket.tokens - cost);
    return { admitted: true };
  }

  /** Adds to what an admitted request cost, once it turned out to be refused. */
  charge(source: string, cost: number): void {
    const bucket = this.refilled(source);
    bucket.tokens = Math.max(-this.limits.burst, bucket.tokens - cost);
  }

  get trackedSources(): number {
    return this.buckets.size;
  }

  private refilled(source: string): Bucket {
    const now = this.now();
    if (now - this.sweptAt >= 1000) this.forgetFullBuckets(now);
    const bucket = this.buckets.get(source);
    if (bucket) {
      bucket.tokens = Math.min(this.limits.burst, this.balance(bucket, now));
      bucket.at = now;
      return bucket;
    }
    if (this.buckets.size >= this.limits.maxSources) {
      this.buckets.delete(this.buckets.keys().next().value as string);
    }
    const fresh = { tokens: this.limits.burst, at: now };
    this.buckets.set(source, fresh);
    return fresh;
  }

  private balance(bucket: Bucket, now: number): number {
    return bucket.tokens + ((now - bucket.at) / 1000) * this.limits.perSecond;
  }

  /** A bucket that has refilled is the same as none: once a second, those are dropped. */
  private forgetFullBuckets(now: number): void {
    this.sweptAt = now;
    for (const [source, bucket] of this.buckets) {
      if (this.balance(bucket, now) >= this.limits.burst) this.buckets.delete(source);
    }
  }
}

/**
 * Where a request came from. Through a tunnel every request arrives from loopback, and the tunnel appends
 * the address it saw to X-Forwarded-For; entries before it are whatever the client wrote, so only the last
 * one is trusted.
 */
export function sourceOf(req: IncomingMessage): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (!isLoopback(socket)) return socket;
  const forwarded = req.headers['x-forwarded-for'];
  const last =
    (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').pop()?.trim() ?? '';
  return isIP(last) ? last : socket;
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}
