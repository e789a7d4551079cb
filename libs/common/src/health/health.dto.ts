import { ApiProperty } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { DEPENDENCIES } from './readiness.service';

export class HealthResponseDto {
  @ApiProperty({ example: 'ok', enum: ['ok'] })
  status!: 'ok';
}

/** The error shape, plus which dependencies did not answer (empty while the instance shuts down). */
export class ReadinessUnavailableDto extends ErrorResponseDto {
  @ApiProperty({
    description:
      'Dependencies that did not answer within 1 s; empty when the instance is shutting down (`code` `shutting_down`)',
    enum: DEPENDENCIES,
    type: String,
    isArray: true,
    example: ['database'],
  })
  // Typed string[] (the enum lists the values) so the build's swagger plugin and the tests' agree on the schema.
  unavailable!: string[];
}
