import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { ServiceUnavailableError } from '../errors/app-error';
import { ErrorRenderer } from '../errors/error-renderer';
import { ShutdownState } from './shutdown-state';

/**
 * Graceful shutdown (issue 15, item 4). On SIGTERM or SIGINT an app stops listening at once, answers every request
 * it has already received, closes its keep-alive connections instead of waiting for them, and only then closes its
 * pools and exits. A request that arrives on an open connection during the drain is refused before any handler
 * runs, so a 503 `shutting_down` has moved nothing and the client (or its load balancer) may send it elsewhere.
 */

/** Seconds a refused client should wait: another instance can take the request right away. */
const RETRY_AFTER_SECONDS = 1;
/** How often the drain closes connections that went idle without a `Connection: close` (see `drainHttpApp`). */
const IDLE_SWEEP_INTERVAL_MS = 1_000;
/** After the grace period, how long the cut connections get to close before the pools are closed anyway. */
const FORCED_CLOSE_WAIT_MS = 1_000;
/** Bound on closing an app's pools and connections (TypeORM, Redis, workers) once its HTTP side is drained. */
const APP_CLOSE_TIMEOUT_MS = 5_000;

/**
 * The drain as the client sees it. Registered first among the app's own hooks (after request logging, so a refusal
 * is logged with its request id), so that nothing (session, token, body) is looked at for a refused request.
 */
export function registerDrainHooks(fastify: FastifyInstance, state: ShutdownState, renderer: ErrorRenderer): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!state.draining) {
      done();
      return;
    }
    const { status, body } = renderer.render(
      new ServiceUnavailableError('shutting_down', 'errors.service_unavailable'),
      request,
      reply,
    );
    void reply
      .status(status)
      .header('Connection', 'close')
      .header('Retry-After', String(RETRY_AFTER_SECONDS))
      .header('Content-Type', 'application/json; charset=utf-8')
      .send(body);
  });
  // Every answer sent while draining closes its connection: otherwise a keep-alive socket whose request was in
  // flight at the signal would stay open until keepAliveTimeout (Fastify's default: 72 s) and hold the exit.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (state.draining) void reply.header('Connection', 'close');
    done(null, payload);
  });
}

export interface DrainOutcome {
  /** `drained`: every connection closed by itself; `cut`: the grace period ran out and the rest were closed. */
  outcome: 'drained' | 'cut';
  elapsedMs: number;
}

/**
 * Drains one app's HTTP server: readiness answers 503 from now on, the listening socket closes at once (new
 * connections are refused, so a load balancer moves on), idle keep-alive sockets are closed, and requests already
 * received are answered (with `Connection: close`). Resolves when the last connection has closed, or after
 * `graceMs`, when the remaining connections are cut (their transactions roll back with their connections).
 */
export async function drainHttpApp(app: NestFastifyApplication, graceMs: number): Promise<DrainOutcome> {
  const startedMs = Date.now();
  app.get(ShutdownState).beginDrain();
  const server = app.getHttpServer();
  const allClosed = new Promise<void>((resolve) => {
    // Also called when the server is not listening (never was, or already closed): it answers at once then.
    server.close(() => {
      resolve();
    });
  });
  // server.close() already closes the connections idle at this moment (Node >= 19); this sweep catches one that
  // went idle without our header (a response whose headers left before the signal). A client sending on such a
  // socket at that very moment sees it closed: the usual keep-alive race, which HTTP clients retry.
  server.closeIdleConnections();
  const sweep = setInterval(() => {
    server.closeIdleConnections();
  }, IDLE_SWEEP_INTERVAL_MS);
  let graceTimer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'cut'>((resolve) => {
    graceTimer = setTimeout(() => {
      resolve('cut');
    }, graceMs);
  });
  try {
    const outcome = await Promise.race([allClosed.then(() => 'drained' as const), graceOver]);
    if (outcome === 'cut') {
      server.closeAllConnections();
      await Promise.race([allClosed, delay(FORCED_CLOSE_WAIT_MS)]);
    }
    return { outcome, elapsedMs: Date.now() - startedMs };
  } finally {
    clearInterval(sweep);
    clearTimeout(graceTimer);
  }
}

/**
 * Shuts one or more apps of this process down: all drain together, then each closes (Nest's shutdown hooks: the
 * TypeORM pool, Redis, background workers), each bounded. Answers whether everything closed in time.
 */
export async function shutDownApps(apps: readonly NestFastifyApplication[], graceMs: number): Promise<boolean> {
  const logger = new Logger('Shutdown');
  if (apps.length === 0) return true;
  logger.log({ graceMs }, 'draining: no new connections; answering the requests already received');
  const drained = await Promise.all(apps.map((app) => drainHttpApp(app, graceMs)));
  for (const { outcome, elapsedMs } of drained) {
    if (outcome === 'cut') logger.warn({ elapsedMs }, 'grace period over: the remaining connections were cut');
    else logger.log({ elapsedMs }, 'drained: every received request was answered');
  }
  let clean = drained.every((d) => d.outcome === 'drained');
  // In reverse order of creation, as Nest would: the last app created may use what the first one set up.
  for (const app of [...apps].reverse()) {
    const closed = await Promise.race([
      app.close().then(
        () => true,
        (error: unknown) => {
          logger.error({ err: error }, 'closing the app failed');
          return false;
        },
      ),
      delay(APP_CLOSE_TIMEOUT_MS).then(() => false),
    ]);
    if (!closed) logger.warn(`the app did not close within ${APP_CLOSE_TIMEOUT_MS} ms`);
    clean &&= closed;
  }
  return clean;
}

/**
 * Runs `shutdown` on the first SIGTERM or SIGINT (and SIGHUP when asked), then exits with its code. A second signal
 * while it runs exits at once (code 1): the operator insists, and whatever was cut rolls back in PostgreSQL.
 */
export function onShutdownSignal(
  shutdown: (signal: NodeJS.Signals) => Promise<number>,
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
): void {
  let running = false;
  const handle = (signal: NodeJS.Signals): void => {
    if (running) {
      process.stderr.write(`${signal} again: exiting without waiting for the drain\n`);
      process.exit(1);
    }
    running = true;
    shutdown(signal).then(
      (code) => process.exit(code),
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, handle);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
