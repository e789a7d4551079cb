import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import type { AppConfig, RedisConnection } from '@app/common';
import { RedisThrottlerStorage } from './redis-throttler.storage';

const ACCOUNT_LENGTH_MAX = 254;

/** The account an authentication request is about: its e-mail or staff username, without case. */
export function accountOf(request: { body?: unknown }): string | undefined {
  const body = request.body;
  if (!body || typeof body !== 'object') return undefined;
  const { email, username } = body as { email?: unknown; username?: unknown };
  const value = typeof email === 'string' ? email : typeof username === 'string' ? username : undefined;
  const account = value?.trim().toLowerCase().slice(0, ACCOUNT_LENGTH_MAX);
  return account ? account : undefined;
}

/**
 * Limits for login, registration, password and token endpoints: per client IP and per account, in one window
 * (AUTH_THROTTLE_*). Counters live in Redis when REDIS_URL is set, so the limits hold across instances.
 */
export function authThrottlerOptions(config: AppConfig, redis: RedisConnection): ThrottlerModuleOptions {
  const ttl = config.authThrottleWindowSeconds * 1000;
  return {
    throttlers: [
      { name: 'ip', ttl, limit: config.authThrottleIpLimit },
      {
        name: 'account',
        ttl,
        limit: config.authThrottleAccountLimit,
        getTracker: (request: Record<string, unknown>) => accountOf(request) ?? '',
        skipIf: (context: ExecutionContext) => accountOf(context.switchToHttp().getRequest<object>()) === undefined,
      },
    ],
    storage: redis.client ? new RedisThrottlerStorage(redis) : undefined,
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
