import type { FastifyRequest } from 'fastify';

/** The request's absolute URL, for the `next`/`previous` links of a page. */
export function requestUrl(request: FastifyRequest): URL {
  return new URL(request.url, `${request.protocol}://${request.host}`);
}
