import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/app-config';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/** A caller's X-Request-Id is kept when it is sane, so a request can be followed across services. */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  const given = Array.isArray(header) ? header[0] : header;
  return given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

/**
 * Structured JSON logs (pino): one line per request with its id, method, route and status, and the same
 * id in every line logged while serving it. Credentials never reach a log line.
 */
export function loggerParams(config: AppConfig, app: string, stream?: DestinationStream): Params {
  const options: Options = {
    level: config.logLevel,
    customProps: () => ({ app }),
    // Fastify assigned the id (see createHttpApp) and answers it as X-Request-Id; the log lines reuse it.
    genReqId: (req: IncomingMessage) => (req as { id?: string }).id ?? requestIdOf(req),
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-cookie"]',
        'req.headers["x-csrftoken"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.password_hash',
        '*.token',
        '*.key',
        // Card data is never logged on purpose; these catch an accidental log of a checkout form.
        '*.card_number',
        '*.card_cvv',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
  };
  return { pinoHttp: stream ? [options, stream] : options };
}
