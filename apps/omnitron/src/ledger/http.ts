import { getSchemaPath } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

/** The request's absolute URL, for the `next`/`previous` links of a page. */
export const urlOf = (request: FastifyRequest): URL => new URL(request.url, `${request.protocol}://${request.host}`);

/** The OpenAPI schema of a `{count, next, previous, results}` page of `model`. */
export const pageOf = (model: new () => unknown, what: string) => ({
  description: `A page of ${what}`,
  schema: {
    type: 'object',
    required: ['count', 'next', 'previous', 'results'],
    properties: {
      count: { type: 'integer', example: 1 },
      next: { type: 'string', nullable: true, example: null },
      previous: { type: 'string', nullable: true, example: null },
      results: { type: 'array', items: { $ref: getSchemaPath(model) } },
    },
  },
});
