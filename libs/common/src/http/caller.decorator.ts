import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * Who is calling, for the calls that have no storefront or staff context of their own yet: the staff sign-in (its
 * failures are limited per client address) and sign-out (the token it revokes), and the metrics scrape (its bearer
 * token). Every other controller takes `@RequestContext()` (storefront) or `@StaffChannel()` (back office).
 */
export interface CallerContext {
  /** The client's address as the HTTP layer resolved it (TRUST_PROXY). */
  clientIp: string;
  /** The `Authorization` header as sent, if any. */
  authorization: string | undefined;
}

function callerOf(request: FastifyRequest): CallerContext {
  const authorization: unknown = request.headers.authorization;
  return { clientIp: request.ip, authorization: typeof authorization === 'string' ? authorization : undefined };
}

/** `{clientIp, authorization}` of the call (see CallerContext). */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): CallerContext =>
  callerOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
