import { type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { BodyTooDeepError, MalformedBodyError, NotFoundError } from '../errors/app-error';
import { ErrorRenderer } from '../errors/error-renderer';
import { MetricsService } from '../metrics/metrics.service';
import { createValidationPipe } from '../validation/validation';
import { AppLogger, PINO_LOGGER, registerRequestLogging, requestIdOf } from '../logging/logging';
import { registerDrainHooks } from './graceful-shutdown';
import { ShutdownState } from './shutdown-state';
import { setupOpenApi, type OpenApiInfo } from './openapi';
import { JSON_DEPTH_MAX, jsonDepthExceeds } from './input-limits';

export interface HttpAppOptions {
  config: AppConfig;
  openApi: OpenApiInfo;
  /** Tests pass false to keep their output readable; logs still go through the same pipeline. */
  bufferLogs?: boolean;
  /** Runs after the app is created and before it initialises: for app-specific Fastify hooks. */
  configure?: (app: NestFastifyApplication) => void;
}

/** One route as Fastify registered it: the method and the path pattern (`/api/v1/remote/:channel_id/orders/:pk`). */
export interface RegisteredRoute {
  method: string;
  url: string;
}

/** One list per app, filled while the app registers its routes; read by `routeTable`. */
const routeTables = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/**
 * Every route an app made by `createHttpApp` serves, as the router holds it (HEAD routes Fastify derives from GET
 * included). Tests enumerate routes from here, so a new route cannot be left out of a check by forgetting a list.
 */
export function routeTable(app: NestFastifyApplication): readonly RegisteredRoute[] {
  const table = routeTables.get(app.getHttpAdapter().getInstance());
  if (!table) throw new Error('routeTable: the app was not created by createHttpApp');
  return table;
}

function recordRoutes(fastify: FastifyInstance): void {
  const table: RegisteredRoute[] = [];
  routeTables.set(fastify, table);
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) table.push({ method, url: route.url });
  });
}

/**
 * The app's route graph without starting anything (no database, no listeners): enough for the OpenAPI
 * document, which `npm run openapi` writes and a test compares with the committed files.
 */
export async function createPreviewApp(rootModule: Type<unknown>): Promise<INestApplication> {
  return NestFactory.create<NestFastifyApplication>(rootModule, new FastifyAdapter(), { preview: true, logger: false });
}

/**
 * Creates one of the two apps with the HTTP conventions both share: paths answer with and without a trailing
 * slash, bodies arrive as JSON, form-encoded or JSON sent as text/plain, within a size limit, and every error
 * (including Fastify's own, such as a malformed body) leaves in the contract's error shape.
 */
export async function createHttpApp(
  rootModule: Type<unknown>,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const { config } = options;
  // Errors Fastify raises before any route runs (a path that is not valid percent-encoded UTF-8) are rendered like
  // every other error; the renderer exists only once the app does, and no request arrives before that.
  const late: { renderer?: ErrorRenderer } = {};
  const adapter = new FastifyAdapter({
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      // `/%ED%A0%80/` decodes to half a surrogate pair: a path no resource has, as one with a NUL byte (404).
      const cause = error.code === 'FST_ERR_BAD_URL' ? new NotFoundError() : error;
      const rendered = late.renderer?.render(cause, request, reply) ?? {
        status: 400,
        body: { detail: 'Bad request.', code: 'bad_request' },
      };
      void reply.status(rendered.status).header('Content-Type', 'application/json; charset=utf-8').send(rendered.body);
    },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 200 },
    logger: false,
    genReqId: requestIdOf,
    // While draining, our own hook refuses new requests in the API's error shape (see graceful-shutdown.ts).
    return503OnClosing: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    bufferLogs: options.bufferLogs ?? true,
    // Our own parsers below replace Nest's, so that every body type fails the same way.
    bodyParser: false,
    abortOnError: false,
  });
  app.useLogger(app.get(AppLogger));
  late.renderer = app.get(ErrorRenderer);
  const fastify = app.getHttpAdapter().getInstance();
  // Before anything registers a route: Nest adds the controllers' routes in init(), the plugins theirs at ready.
  recordRoutes(fastify);
  registerRequestLogging(fastify, app.get(PINO_LOGGER));
  registerDrainHooks(fastify, app.get(ShutdownState), app.get(ErrorRenderer));
  registerBodyParsers(fastify, config);
  installMetrics(app, fastify);
  app.useGlobalPipes(createValidationPipe());
  options.configure?.(app);
  // After `configure`: Fastify runs onSend hooks in the order they were added, and the session cookie's hook is added
  // there, so this one sees the cookie an answer sets (a login's new session) and marks that answer no-store.
  registerSecurityHeaders(fastify);
  if (config.swaggerEnabled) setupOpenApi(app, options.openApi);
  await app.init();
  return app;
}

function registerBodyParsers(fastify: FastifyInstance, config: AppConfig): void {
  // JSON is parsed here rather than by Fastify so that a malformed body is our typed error, and so that the
  // storefront client's DELETE/PATCH bodies (`{}` sent as text/plain) are read as JSON too. An empty body is `{}`.
  const parseJson = (_req: unknown, body: string | Buffer, done: (err: Error | null, body?: unknown) => void): void => {
    const text = String(body).trim();
    if (text === '') {
      done(null, {});
      return;
    }
    // Before parsing: the parser, class-transformer and every walk over the body recurse once per level.
    if (jsonDepthExceeds(text, JSON_DEPTH_MAX)) {
      done(new BodyTooDeepError(JSON_DEPTH_MAX));
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new MalformedBodyError());
    }
  };
  for (const type of ['application/json', 'text/plain']) {
    fastify.removeContentTypeParser(type);
    fastify.addContentTypeParser(type, { parseAs: 'string', bodyLimit: config.bodyLimitBytes }, parseJson);
  }
  // Checkout pages post application/x-www-form-urlencoded; a repeated field becomes a list.
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: config.bodyLimitBytes },
    (_req, body, done) => {
      done(null, parseForm(String(body)));
    },
  );
}

const FORM_FIELDS_MAX = 1000;

export function parseForm(text: string): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  let fields = 0;
  for (const [key, value] of new URLSearchParams(text)) {
    if (++fields > FORM_FIELDS_MAX) break;
    const previous = result[key];
    if (previous === undefined) result[key] = value;
    else result[key] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return { ...result };
}

/** A request that may carry a credential: any cookie (sessions are cookies), `X-Cookie` or `Authorization`. */
function carriesCredential(headers: Record<string, string | string[] | undefined>): boolean {
  return headers.cookie !== undefined || headers['x-cookie'] !== undefined || headers.authorization !== undefined;
}

function registerSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('X-Content-Type-Options', 'nosniff');
    if (!reply.hasHeader('cache-control') && (carriesCredential(request.headers) || reply.hasHeader('set-cookie'))) {
      void reply.header('Cache-Control', 'no-store');
    }
    done(null, payload);
  });
}

function installMetrics(app: INestApplication, fastify: FastifyInstance): void {
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observe(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
}
