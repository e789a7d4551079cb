import { setImmediate as tick } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { AppLogger, createAppLogger, registerRequestLogging, requestIdOf } from './logging';

describe('logging', () => {
  let lines: Record<string, unknown>[];
  let fastify: FastifyInstance;
  let logger: ReturnType<typeof createAppLogger>;

  beforeEach(async () => {
    lines = [];
    logger = createAppLogger({ logLevel: 'info' } as AppConfig, 'test-app', {
      write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    const nest = new AppLogger(logger);
    fastify = Fastify({ genReqId: requestIdOf });
    registerRequestLogging(fastify, logger);
    fastify.post('/work', async () => {
      await tick();
      nest.warn({ order: 'A-1' }, 'provider slow', 'Checkout');
      return { ok: true };
    });
    fastify.get('/fail', () => {
      throw new Error('boom');
    });
    await fastify.ready();
  });

  afterEach(() => fastify.close());

  it('puts the request id on lines logged while serving it, and logs one line when it is answered', async () => {
    const response = await fastify.inject({
      method: 'POST',
      url: '/work?page=1&email=a%40example.com',
      headers: { 'x-request-id': 'req-42' },
      payload: { password: 'secret-password' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).toBe('req-42');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 40,
      app: 'test-app',
      reqId: 'req-42',
      context: 'Checkout',
      order: 'A-1',
      msg: 'provider slow',
    });
    expect(lines[1]).toMatchObject({
      level: 30,
      reqId: 'req-42',
      req: { method: 'POST', url: '/work?page=1&email=[redacted]' },
      res: { statusCode: 200 },
      msg: 'request completed',
    });
    expect(typeof lines[1].responseTime).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('secret-password');
  });

  it('gives a request without a usable X-Request-Id a new one, and logs a 5xx at error level', async () => {
    const response = await fastify.inject({ method: 'GET', url: '/fail', headers: { 'x-request-id': 'bad id!' } });
    expect(response.statusCode).toBe(500);
    const id = response.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.at(-1)).toMatchObject({ level: 50, reqId: id, res: { statusCode: 500 } });
  });

  it("names the app that serves the request, even on a line written through another app's logger", async () => {
    // `npm start` runs both apps in one process, and Nest's static Logger writes through the last app's logger.
    const other = new AppLogger(
      createAppLogger({ logLevel: 'info' } as AppConfig, 'other-app', {
        write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
      }),
    );
    await fastify.close();
    fastify = Fastify({ genReqId: requestIdOf });
    registerRequestLogging(fastify, logger);
    fastify.get('/cross', () => {
      other.error('failed', 'Somewhere');
      return {};
    });
    await fastify.inject({ method: 'GET', url: '/cross' });
    expect(lines.map((line) => [line.msg, line.app])).toEqual([
      ['failed', 'test-app'],
      ['request completed', 'test-app'],
    ]);
    other.log('outside', 'Main');
    expect(lines.at(-1)).toMatchObject({ msg: 'outside', app: 'other-app' });
    expect(Object.keys(lines.at(-1)!).filter((key) => key === 'app')).toHaveLength(1);
  });

  it('has no request id outside a request', () => {
    new AppLogger(logger).log('booted', 'Main');
    expect(lines).toEqual([expect.objectContaining({ msg: 'booted', context: 'Main' })]);
    expect(lines[0]).not.toHaveProperty('reqId');
  });

  it('logs an Error as err, and Nest’s (message, stack, context) error calls with their stack', () => {
    const nest = new AppLogger(logger);
    nest.error(new Error('exploded'), 'Errors');
    nest.error('Unhandled', 'Error: Unhandled\n    at somewhere (file.js:1:1)', 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({ level: 50, context: 'Errors', msg: 'exploded', err: { message: 'exploded' } });
    expect(lines[1]).toMatchObject({ context: 'ExceptionsHandler', msg: 'Unhandled' });
    expect((lines[1].err as { stack: string }).stack).toContain('at somewhere');
  });

  it('redacts credentials and card data in logged objects, and skips levels below the configured one', () => {
    const nest = new AppLogger(logger);
    nest.log({ form: { card_number: '4242424242424242', card_cvv: '123' }, user: { password: 'p1', token: 't1' } });
    nest.debug('not shown');
    expect(lines).toHaveLength(1);
    const text = JSON.stringify(lines[0]);
    for (const secret of ['4242424242424242', '123', 'p1', 't1']) expect(text).not.toContain(`"${secret}"`);
    expect(text).toContain('[redacted]');
  });
});
