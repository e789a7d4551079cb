import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { AppConfig, type Clock, type Env, type FaultPoints, InjectedFaults } from '@app/common';
import { createOmnitronApp } from '../../apps/omnitron/src/omnitron.app';
import { createStorefrontApp } from '../../apps/storefront/src/storefront.app';
import { createTestDatabase } from './database';
import { HttpClient } from './http';

export interface TestApp {
  app: NestFastifyApplication;
  http: HttpClient;
  config: AppConfig;
  close(): Promise<void>;
}

const FACTORIES = { storefront: createStorefrontApp, omnitron: createOmnitronApp } as const;

/** Test settings: quiet logs and a cheap password hash; everything else as in production. */
export function testEnv(overrides: Env = {}): Env {
  return {
    ...process.env,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PASSWORD_SCRYPT_LOG2_N: '10',
    // Sessions left in a shared Redis by a test run expire within the hour.
    SESSION_TTL_SECONDS: '3600',
    // Test files run in parallel against one Redis: each process gets its own key space.
    REDIS_KEY_PREFIX: `test:${process.env.TEST_RUN_ID ?? 'run'}:${process.pid}:${Math.random().toString(36).slice(2)}:`,
    ...overrides,
  };
}

function faultCount(faults: FaultPoints | undefined): (() => number) | undefined {
  return faults instanceof InjectedFaults ? () => faults.injected : undefined;
}

/** Boots an app exactly as production does, on its own fresh database, listening on a loopback port. */
export async function startTestApp(
  kind: keyof typeof FACTORIES,
  options: { env?: Env; databaseUrl?: string; clock?: Clock; logStream?: DestinationStream; faults?: FaultPoints } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const config = AppConfig.fromEnv(testEnv({ ...options.env, DATABASE_URL: databaseUrl }));
  const app = await FACTORIES[kind](config, true, {
    clock: options.clock,
    logStream: options.logStream,
    faults: options.faults,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, http: new HttpClient(url, kind, faultCount(options.faults)), config, close: () => app.close() };
}
