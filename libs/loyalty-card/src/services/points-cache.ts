import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import KeyvRedis, { createClient } from '@keyv/redis';
import type { Cache } from 'cache-manager';
import { Keyv } from 'keyv';
import { type AppConfig, Clock, ConnectionErrorLog, withTimeout } from '@app/common';
import { LoyaltyCardConfig } from '../loyalty-card.config';

interface CachedPoints {
  points: number;
  fetchedAtMs: number;
}

/**
 * A cache call that has not answered within this is given up, as a miss: Redis answers in well under a millisecond,
 * and a frozen Redis must not hold a points read for the 5 s a session read waits.
 */
export const POINTS_CACHE_WAIT_MS = 250;

/** The cache's one error log: its Redis connection is not the app's ioredis one. */
const cacheErrors = new ConnectionErrorLog('points-cache');

/**
 * The store behind the points cache: Redis when REDIS_URL is set, so every instance shares what it cached; memory
 * otherwise. The Redis client keeps no offline queue, so while Redis is down a call fails at once (and counts as a
 * miss) instead of waiting for the reconnection.
 */
export function pointsCacheStore(config: AppConfig): Keyv {
  if (!config.redisUrl) return new Keyv();
  const client = createClient({ url: config.redisUrl, disableOfflineQueue: true, socket: { connectTimeout: 5_000 } });
  const store = new KeyvRedis(client, { throwOnConnectError: false });
  const keyv = new Keyv({ store, namespace: `${config.redisKeyPrefix}cache` });
  keyv.on('error', (error: unknown) => {
    cacheErrors.failed(error);
  });
  client.on('ready', () => {
    cacheErrors.recovered();
  });
  return keyv;
}

/** Drops the store's Redis connection without waiting for Redis (a cache has nothing to flush). */
export async function closePointsCacheStore(keyv: Keyv): Promise<void> {
  const store: unknown = keyv.store;
  if (store instanceof KeyvRedis) await store.disconnect(true).catch(() => undefined);
}

/**
 * Points per card for LOYALTY_POINTS_CACHE_TTL_MS (2 minutes). Freshness is judged by the service's Clock; the
 * store's own TTL only cleans up. The cache fails open (docs/adr/0011-redis-outage.md): while its store does not
 * answer, every read asks the provider and nothing is cached, so a Redis outage costs provider calls, not answers.
 * An invalidation lost in an outage can leave a value cached before it for the rest of its TTL.
 */
@Injectable()
export class PointsCache {
  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly config: LoyaltyCardConfig,
    private readonly clock: Clock,
  ) {}

  private key(cardId: number, accountNumber: string): string {
    return `loyalty-card:points:${cardId}:${accountNumber}`;
  }

  async get(cardId: number, accountNumber: string, load: () => Promise<number>): Promise<number> {
    const key = this.key(cardId, accountNumber);
    const cached = await this.bounded(() => this.cache.get<CachedPoints>(key));
    if (cached && this.clock.nowMs() - cached.fetchedAtMs < this.config.pointsCacheTtlMs) return cached.points;
    const points = await load();
    if (this.config.pointsCacheTtlMs > 0) {
      const entry: CachedPoints = { points, fetchedAtMs: this.clock.nowMs() };
      await this.bounded(() => this.cache.set(key, entry, this.config.pointsCacheTtlMs));
    }
    return points;
  }

  async invalidate(cardId: number, accountNumber: string): Promise<void> {
    await this.bounded(() => this.cache.del(this.key(cardId, accountNumber)));
  }

  /** The call's answer, or undefined when it failed or did not answer within POINTS_CACHE_WAIT_MS. */
  private async bounded<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await withTimeout(call(), POINTS_CACHE_WAIT_MS);
    } catch (error) {
      cacheErrors.failed(error);
      return undefined;
    }
  }
}
