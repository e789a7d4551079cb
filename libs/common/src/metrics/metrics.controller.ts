import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config';
import { NotAuthenticatedError } from '../errors/app-error';
import { MetricsService } from './metrics.service';
import { SkipRequestContext } from '../http/skip-request-context';

/** Constant-time comparison of two secrets of any length (their digests are compared). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

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
  render(@Headers('authorization') authorization: string | undefined): Promise<string> {
    const token = this.config.metricsToken;
    if (token !== undefined) {
      const given = /^Bearer\s+(\S{1,512})$/i.exec(authorization ?? '')?.[1];
      if (given === undefined || !sameSecret(given, token)) throw new NotAuthenticatedError();
    }
    return this.metrics.render();
  }
}
