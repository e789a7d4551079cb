import { HttpException, Injectable, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '../i18n/languages';
import type { MessageKey } from '../i18n/messages';
import { Translator } from '../i18n/translator';
import { AppError, type ErrorKind, type FieldErrors, RetryLaterError } from './app-error';
import { DomainError, EdgeErrors } from './domain-error';
import { safeMessage, safeUrl } from '../logging/log-safety';
import { dependencyFailureOf } from './dependency-failure';

/** What a 503 for an unavailable dependency tells the client to wait before trying again. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

/** The error's code and message only: never its stack or the SQL text and parameters. */
function causeOf(error: unknown): { code?: unknown; message?: unknown } {
  const e = error as { code?: unknown; message?: unknown; driverError?: { code?: unknown } };
  return {
    code: e.code ?? e.driverError?.code,
    message: typeof e.message === 'string' ? safeMessage(e.message).slice(0, 200) : undefined,
  };
}

/** The contract's `ErrorResponse`. */
export interface ErrorBody {
  detail: string;
  code: string;
  field_errors?: Record<string, string[]>;
}

export interface RenderedError {
  status: number;
  body: ErrorBody;
  /** Set when the error is a client's fault in the field layout the caller sent. */
  fieldErrors?: Record<string, string[]>;
}

/** How every app answers each kind of refusal: the one place an error's kind becomes an HTTP status. */
export const HTTP_STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  retry_later: 429,
  unavailable: 503,
};

/** The HTTP status an app answers an AppError with. */
export function httpStatusOf(error: AppError): number {
  return HTTP_STATUS_OF_KIND[error.kind];
}

/** What a client sees of an answer, before translation: status, code, message key and arguments, field messages. */
export function wireOf(answer: AppError) {
  return {
    status: httpStatusOf(answer),
    code: answer.code,
    messageKey: answer.messageKey,
    args: answer.args,
    fieldErrors: answer.fieldErrors,
  };
}

/** Framework errors (Nest and Fastify) by status: the code and message a client sees. */
const BY_STATUS: Readonly<Record<number, { code: string; key: MessageKey }>> = {
  400: { code: 'bad_request', key: 'errors.bad_request' },
  401: { code: 'not_authenticated', key: 'errors.not_authenticated' },
  403: { code: 'permission_denied', key: 'errors.permission_denied' },
  404: { code: 'not_found', key: 'errors.route_not_found' },
  405: { code: 'method_not_allowed', key: 'errors.method_not_allowed' },
  409: { code: 'conflict', key: 'errors.conflict' },
  413: { code: 'payload_too_large', key: 'errors.payload_too_large' },
  415: { code: 'unsupported_media_type', key: 'errors.unsupported_media_type' },
  429: { code: 'throttled', key: 'errors.throttled' },
  503: { code: 'service_unavailable', key: 'errors.service_unavailable' },
};

interface FastifyLikeError {
  statusCode?: unknown;
}

/**
 * Turns anything thrown while serving a request into the contract's error body, in the caller's language.
 * Unknown errors become a 500 whose body says nothing of the cause; the cause is logged with the request id.
 */
@Injectable()
export class ErrorRenderer {
  private readonly logger = new Logger('Errors');

  constructor(
    private readonly translator: Translator,
    private readonly edge: EdgeErrors,
  ) {}

  /**
   * A lib's domain error as this app answers it (its edge table's row); anything else as it is. A domain error the
   * table does not know stays a DomainError, which renders as a logged 500.
   */
  toAppError(error: unknown): unknown {
    return error instanceof DomainError ? (this.edge.toHttp(error) ?? error) : error;
  }

  render(thrown: unknown, request: FastifyRequest, reply?: FastifyReply): RenderedError {
    const lang = this.translator.languageOf(request.headers['accept-language']);
    const error = this.toAppError(thrown);
    if (error instanceof DomainError) {
      this.logger.error({ err: error, url: safeUrl(request.url) }, `No edge rule for ${error.name}`);
      return this.body(500, 'internal_error', this.translator.translate('errors.internal', lang));
    }
    if (error instanceof AppError) {
      if (error instanceof RetryLaterError && reply && !reply.sent) {
        void reply.header('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
      }
      const fieldErrors = error.fieldErrors ? this.translateFields(error.fieldErrors, lang) : undefined;
      return this.body(
        httpStatusOf(error),
        error.code,
        this.translator.translate(error.messageKey, lang, error.args),
        fieldErrors,
      );
    }
    if (error instanceof ThrottlerException) {
      // The throttler guard has already set Retry-After (in seconds) on the reply.
      const retryAfter = Number(reply?.getHeader('retry-after') ?? 1);
      const seconds = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : 1;
      return this.fromStatus(429, lang, { seconds });
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      if (status >= 500) this.logger.error({ err: error, url: safeUrl(request.url) }, 'Server error');
      return this.fromStatus(status, lang);
    }
    // Nest turns Fastify's own errors (body too large, unsupported media type) into HttpExceptions before this
    // point; anything else that still carries a 4xx status is a client error without internals worth showing.
    const fastify = error as FastifyLikeError;
    if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
      return this.fromStatus(fastify.statusCode, lang);
    }
    const dependency = dependencyFailureOf(error);
    if (dependency) {
      // "Try again in a moment", not a bug: one line names the cause (with the request id, as every line has).
      this.logger.warn(
        { dependency, cause: causeOf(error), url: safeUrl(request.url) },
        `${dependency === 'database' ? 'PostgreSQL' : 'Redis'} unavailable`,
      );
      if (reply && !reply.sent) void reply.header('Retry-After', String(DEPENDENCY_RETRY_AFTER_SECONDS));
      return this.body(
        503,
        dependency === 'database' ? 'database_unavailable' : 'redis_unavailable',
        this.translator.translate('errors.service_unavailable', lang),
      );
    }
    this.logger.error({ err: error, url: safeUrl(request.url) }, 'Unhandled error');
    return this.body(500, 'internal_error', this.translator.translate('errors.internal', lang));
  }

  translateFields(fields: FieldErrors, lang: Language): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    for (const [field, messages] of Object.entries(fields)) {
      result[field] = messages.map((m) => this.translator.translate(m.key, lang, m.args));
    }
    return result;
  }

  private fromStatus(status: number, lang: Language, args?: Record<string, number>): RenderedError {
    const known = BY_STATUS[status] ?? BY_STATUS[400];
    const safeStatus = BY_STATUS[status] ? status : 400;
    return this.body(safeStatus, known.code, this.translator.translate(known.key, lang, args));
  }

  private body(status: number, code: string, detail: string, fieldErrors?: Record<string, string[]>): RenderedError {
    const body: ErrorBody = { detail, code };
    if (fieldErrors) body.field_errors = fieldErrors;
    return { status, body, fieldErrors };
  }
}
