import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

/** OpenAPI for a `{count, next, previous, results: [model]}` page, the contract's list shape. */
export function ApiPageResponse(model: Type<unknown>, description = 'A page of results'): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['count', 'next', 'previous', 'results'],
        properties: {
          count: { type: 'integer', example: 1 },
          next: { type: 'string', format: 'uri', nullable: true, example: null },
          previous: { type: 'string', format: 'uri', nullable: true, example: null },
          results: { type: 'array', items: { $ref: getSchemaPath(model) } },
        },
      },
    }),
  );
}
