import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorRenderer } from '@app/common';

/**
 * The storefront edge's other error shape (the error renderer is the same; only the body differs). For login,
 * registration and profile: the storefront client reads a 400 as messages keyed by field at the top
 * level, plus `non_field_errors` (`{"email": ["..."], "non_field_errors": ["..."]}`). Other statuses keep the
 * standard error body.
 */
@Catch()
export class FieldErrorsFilter implements ExceptionFilter {
  constructor(@Inject(ErrorRenderer) private readonly renderer: ErrorRenderer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, body, fieldErrors } = this.renderer.render(exception, request, reply);
    if (reply.sent) return;
    const payload = status === 400 ? (fieldErrors ?? { non_field_errors: [body.detail] }) : body;
    void reply.status(status).header('Content-Type', 'application/json; charset=utf-8').send(payload);
  }
}
