import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { type DestinationStream, type Level, type Logger, pino } from 'pino';
import type { AppConfig } from '../config/app-config';
import { safeError, safeUrl } from './log-safety';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/** A caller's X-Request-Id is kept when it is sane, so a request can be followed across services. */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  const given = Array.isArray(header) ? header[0] : header;
  return given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

/** What every log line written while serving a request knows about it. */
interface RequestLogContext {
  readonly reqId: string;
  /** The app serving the request: a line written through another app's logger (one process) still names it. */
  readonly app: string;
}

/** The app each logger was made for (`createAppLogger`), read by the request hook. */
const appOfLogger = new WeakMap<Logger, string>();

/**
 * The request being served, for log lines. Set by the Fastify hook of `registerRequestLogging`: Fastify runs the
 * rest of a request's work (body parsing, the handler) inside it.
 */
const requestContext = new AsyncLocalStorage<RequestLogContext>();

/** Injection token of the app's pino logger. */
export const PINO_LOGGER = Symbol('PINO_LOGGER');

/**
 * Structured JSON logs (pino): the app's name and, while a request is served, its id (`reqId`, the X-Request-Id
 * it answers) on every line. Credentials and card data never reach a log line: request bodies and headers are not
 * logged, and these paths are redacted wherever an object carrying them is logged by mistake.
 */
export function createAppLogger(config: AppConfig, app: string, stream?: DestinationStream): Logger {
  const logger = pino(
    {
      level: config.logLevel,
      base: { pid: process.pid },
      // A new object each time: pino merges the line's own fields into it. `app` is here, not in `base`: `npm start`
      // runs both apps in one process, where Nest's static Logger writes through whichever app set it last, so a
      // line names the app of the request it was written for.
      mixin: () => {
        const context = requestContext.getStore();
        return context ? { app: context.app, reqId: context.reqId } : { app };
      },
      redact: {
        paths: [
          'headers.cookie',
          'headers.authorization',
          '*.headers.cookie',
          '*.headers.authorization',
          'password',
          'password_hash',
          'token',
          'key',
          '*.password',
          '*.password_hash',
          '*.token',
          '*.key',
          // Card data is never logged on purpose; these catch an accidental log of a checkout form.
          '*.card_number',
          '*.card_cvv',
          // A database error's parameters and failing row; `safeError` already leaves them out of `err`.
          'parameters',
          '*.parameters',
          'detail',
          '*.detail',
        ],
        censor: '[redacted]',
      },
      serializers: { err: safeError },
    },
    stream,
  );
  appOfLogger.set(logger, app);
  return logger;
}

/**
 * One line per request when it is answered (id, method, URL, status, time; `error` level for a 5xx), and the
 * request's id on every line logged while serving it. Fastify hooks rather than Express-style middleware: this
 * path runs on every request, and the middleware route cost about a tenth of a `create_transfer`'s CPU time
 * (docs/benchmarks.md).
 */
export function registerRequestLogging(fastify: FastifyInstance, logger: Logger): void {
  const app = appOfLogger.get(logger) ?? 'app';
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Request-Id', request.id);
    requestContext.run({ reqId: request.id, app }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const level: Level = reply.statusCode >= 500 ? 'error' : 'info';
    if (logger.isLevelEnabled(level)) {
      logger[level](
        {
          req: { method: request.method, url: safeUrl(request.url) },
          res: { statusCode: reply.statusCode },
          responseTime: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    logger.warn({ req: { method: request.method, url: safeUrl(request.url) } }, 'request aborted by the client');
    done();
  });
}

type PinoMethod = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's logger interface over pino, for Nest's own lines and `new Logger(context)` in services. As Nest calls it:
 * the last optional parameter is the context; an object first is logged as fields (an Error as `err`), so
 * `logger.error({ err, order }, 'message')` keeps its fields.
 */
export class AppLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  verbose(message: unknown, ...optional: unknown[]): void {
    this.write('trace', message, optional);
  }

  debug(message: unknown, ...optional: unknown[]): void {
    this.write('debug', message, optional);
  }

  log(message: unknown, ...optional: unknown[]): void {
    this.write('info', message, optional);
  }

  warn(message: unknown, ...optional: unknown[]): void {
    this.write('warn', message, optional);
  }

  error(message: unknown, ...optional: unknown[]): void {
    this.write('error', message, optional);
  }

  fatal(message: unknown, ...optional: unknown[]): void {
    this.write('fatal', message, optional);
  }

  private write(level: PinoMethod, message: unknown, optional: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    let rest = optional;
    if (optional.length > 0) {
      fields.context = optional[optional.length - 1];
      rest = optional.slice(0, -1);
    }
    if (message instanceof Error) {
      fields.err = message;
      this.logger[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
      this.logger[level](fields, typeof rest[0] === 'string' ? rest[0] : undefined);
    } else if (level === 'error' && typeof rest[0] === 'string' && rest[0].includes('\n    at ')) {
      // Nest's exception handlers call error(message, stack, context).
      const err = new Error(String(message));
      err.stack = rest[0];
      fields.err = err;
      this.logger.error(fields, String(message));
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
