import { type ExecutionContext, Injectable } from '@nestjs/common';
import {
  DEFAULT_IPV6_SUBNET_PREFIX,
  normalizeIp,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import type { AppConfig, Clock } from '@app/common';
import { counterKey, type Counters, retryAfterSeconds } from '@app/database';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The client address the limits count: Fastify's `request.ip`, which is read from `X-Forwarded-For` only with
 * TRUST_PROXY; an IPv6 address by its /64, as one subscriber usually holds a whole /64.
 */
export function clientAddressOf(ip: string | undefined): string {
  return ip ? normalizeIp(ip, DEFAULT_IPV6_SUBNET_PREFIX) : 'unknown';
}

/**
 * @nestjs/throttler's storage on our shared counters (Redis or PostgreSQL, see `Counters`): the limit is judged in
 * the same atomic step that counts, so it holds across instances. A refused request is not counted, and the block
 * lasts until the window ends (our throttlers set no separate block duration).
 */
export class CounterThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly counters: Counters,
    private readonly clock: Clock,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const windowMs = Math.max(1, Math.ceil(ttl));
    const attempt = await this.counters.consume({ key: counterKey(`throttle:${throttlerName}`, key), limit, windowMs });
    const seconds = retryAfterSeconds(attempt, this.clock.nowMs());
    return {
      totalHits: attempt.allowed ? attempt.count : limit + 1,
      timeToExpire: seconds,
      isBlocked: !attempt.allowed,
      timeToBlockExpire: attempt.allowed ? 0 : seconds,
    };
  }
}

/**
 * Requests per client address and endpoint in one window (AUTH_THROTTLE_IP_LIMIT, AUTH_THROTTLE_WINDOW_SECONDS),
 * successes included, on login, registration and the loyalty-card posts. The per-account limits count failures
 * and are keyed on what each endpoint checks, so they are not here: see `FailureLimits`.
 */
export function authThrottlerOptions(config: AppConfig, counters: Counters, clock: Clock): ThrottlerModuleOptions {
  return {
    throttlers: [{ name: 'ip', ttl: config.authThrottleWindowSeconds * 1000, limit: config.authThrottleIpLimit }],
    getTracker: (request: Record<string, unknown>) =>
      clientAddressOf(typeof request.ip === 'string' ? request.ip : undefined),
    storage: new CounterThrottlerStorage(counters, clock),
  };
}

/** ThrottlerGuard that answers the plain `Retry-After` header (the library names it per throttler). */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    void reply.header('Retry-After', String(Math.max(1, detail.timeToBlockExpire)));
    return super.throwThrottlingException(context, detail);
  }
}
