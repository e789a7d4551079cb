import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, type Env } from '@app/common';
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
  return { ...process.env, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...overrides };
}

/** Boots an app exactly as production does, on its own fresh database, listening on a loopback port. */
export async function startTestApp(
  kind: keyof typeof FACTORIES,
  options: { env?: Env; databaseUrl?: string } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const config = AppConfig.fromEnv(testEnv({ ...options.env, DATABASE_URL: databaseUrl }));
  const app = await FACTORIES[kind](config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, http: new HttpClient(url), config, close: () => app.close() };
}
