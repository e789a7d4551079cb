import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** The request's absolute URL, for the `next`/`previous` links of a page. */
export function requestUrl(request: FastifyRequest): URL {
  return new URL(request.url, `${request.protocol}://${request.host}`);
}

/**
 * The request's absolute URL as a controller parameter (`@PageUrl() url: URL`), for the `next`/`previous` links of a
 * page: controllers take what they need of a request through parameter decorators, never the raw request.
 */
export const PageUrl = createParamDecorator((_data: unknown, context: ExecutionContext): URL =>
  requestUrl(context.switchToHttp().getRequest<FastifyRequest>()),
);
