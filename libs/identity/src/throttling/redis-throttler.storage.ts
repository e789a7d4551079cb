import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RedisConnection } from '@app/common';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Fixed-window counter and block flag in one atomic script. KEYS: hits, block. ARGV: window ms, limit, block ms.
 * Returns hits, window ms left, block ms left (0 when not blocked).
 */
const INCREMENT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
local block = redis.call('PTTL', KEYS[2])
if block <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  block = tonumber(ARGV[3])
end
if block < 0 then block = 0 end
return {hits, ttl, block}
`;

/** Rate-limit counters shared by every instance through Redis (see docs/adr/0001-throttler-storage.md). */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly redis: RedisConnection) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const client = this.redis.client;
    if (!client) throw new Error('RedisThrottlerStorage needs REDIS_URL');
    const base = this.redis.key('throttle', throttlerName, key);
    const result = (await client.eval(
      INCREMENT_SCRIPT,
      2,
      `${base}:hits`,
      `${base}:block`,
      String(Math.max(1, Math.ceil(ttl))),
      String(limit),
      String(Math.max(1, Math.ceil(blockDuration))),
    )) as [number, number, number];
    const [totalHits, windowMs, blockMs] = result;
    return {
      totalHits,
      timeToExpire: Math.ceil(windowMs / 1000),
      isBlocked: blockMs > 0,
      timeToBlockExpire: Math.ceil(blockMs / 1000),
    };
  }
}
