import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The contract's `ErrorResponse`. */
export class ErrorResponseDto {
  @ApiProperty({
    description: 'Human-readable error message, in the Accept-Language language',
    example: 'Some fields are invalid.',
  })
  detail!: string;

  @ApiProperty({ description: 'Stable error code', example: 'invalid' })
  code!: string;

  @ApiPropertyOptional({
    description: 'Field-level errors (for validation failures)',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { amount: ['Ensure that there are no more than 2 decimal places.'] },
  })
  field_errors?: Record<string, string[]>;
}
