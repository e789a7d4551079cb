import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ServiceUnavailableError } from '../errors/app-error';
import { ErrorRenderer } from '../errors/error-renderer';
import { HealthResponseDto, ReadinessUnavailableDto } from './health.dto';
import { ReadinessService } from './readiness.service';
import { SkipRequestContext } from '../http/skip-request-context';

@ApiTags('Health')
@SkipRequestContext()
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: ReadinessService,
    private readonly renderer: ErrorRenderer,
  ) {}

  /** Says only that the process answers: a dependency's outage must not get instances restarted. */
  @Get()
  @HttpCode(200)
  @ApiOperation({ operationId: 'getHealth', summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: HealthResponseDto })
  alive(): HealthResponseDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness: PostgreSQL and (when configured) Redis answer within 1 s, and the instance is not stopping',
  })
  @ApiOkResponse({ type: HealthResponseDto })
  @ApiServiceUnavailableResponse({
    type: ReadinessUnavailableDto,
    description:
      'A dependency did not answer (`database_unavailable`, `redis_unavailable`; `unavailable` names them), or the ' +
      'instance is shutting down (`shutting_down`)',
  })
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const readiness = await this.readiness.check();
    if (readiness.ready) {
      void reply.status(200).send({ status: 'ok' } satisfies HealthResponseDto);
      return;
    }
    const unavailable = readiness.reason === 'unavailable' ? readiness.unavailable : [];
    const code = readiness.reason === 'shutting_down' ? 'shutting_down' : `${unavailable[0]}_unavailable`;
    const { status, body } = this.renderer.render(
      new ServiceUnavailableError(code, 'errors.service_unavailable'),
      reply.request,
      reply,
    );
    void reply
      .status(status)
      .header('Content-Type', 'application/json; charset=utf-8')
      .send({ ...body, unavailable } satisfies ReadinessUnavailableDto);
  }
}
