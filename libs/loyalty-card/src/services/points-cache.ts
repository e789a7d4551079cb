import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { Clock } from '@app/common';
import { LoyaltyCardConfig } from '../loyalty-card.config';

interface CachedPoints {
  points: number;
  fetchedAtMs: number;
}

/**
 * Points per card for LOYALTY_POINTS_CACHE_TTL_MS (2 minutes), in Redis when REDIS_URL is set so every instance
 * shares them. Freshness is judged by the service's Clock; the store's own TTL only cleans up.
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
    const cached = await this.cache.get<CachedPoints>(key);
    if (cached && this.clock.nowMs() - cached.fetchedAtMs < this.config.pointsCacheTtlMs) return cached.points;
    const points = await load();
    if (this.config.pointsCacheTtlMs > 0) {
      await this.cache.set(key, { points, fetchedAtMs: this.clock.nowMs() }, this.config.pointsCacheTtlMs);
    }
    return points;
  }

  async invalidate(cardId: number, accountNumber: string): Promise<void> {
    await this.cache.del(this.key(cardId, accountNumber));
  }
}
