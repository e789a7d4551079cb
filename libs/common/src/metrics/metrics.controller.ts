import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config';
import { constantTimeEqual, sha256Hex } from '../crypto/secrets';
import { NotAuthenticatedError } from '../errors/app-error';
import { MetricsService } from './metrics.service';
import { SkipRequestContext } from '../http/skip-request-context';
import { Caller, type CallerContext } from '../http/caller.decorator';

@ApiTags('Health')
@SkipRequestContext()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics: requests, latency, database pool',
    description: 'With `METRICS_TOKEN` set, only `Authorization: Bearer <METRICS_TOKEN>` is answered (else 401).',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  render(@Caller() { authorization }: CallerContext): Promise<string> {
    const token = this.config.metricsToken;
    if (token !== undefined) {
      const given = /^Bearer\s+(\S{1,512})$/i.exec(authorization ?? '')?.[1];
      // Digests, so that the comparison takes the same time whatever the length of the guess.
      if (given === undefined || !constantTimeEqual(sha256Hex(given), sha256Hex(token))) {
        throw new NotAuthenticatedError();
      }
    }
    return this.metrics.render();
  }
}
