import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, onShutdownSignal, shutDownApps } from '@app/common';
import { ensureDatabase, type EmbeddedPostgresHandle, startEmbeddedPostgres } from '@app/database';
import { StaffService } from '@app/identity';
import { createOmnitronApp } from '../apps/omnitron/src/omnitron.app';
import { createStorefrontApp } from '../apps/storefront/src/storefront.app';

/**
 * `npm start`: both apps in one process for development and demos. Without DATABASE_URL it runs an embedded
 * PostgreSQL with its data in `.data/postgres` (EMBEDDED_POSTGRES_DIR), refuses to start while another launcher
 * uses that folder, and stops the server on Ctrl-C so no postgres process is left behind.
 * Production starts each app alone (`npm run start:storefront`, `npm run start:omnitron`).
 */
async function main(): Promise<void> {
  let config = AppConfig.fromEnv();
  let embedded: EmbeddedPostgresHandle | undefined;
  const apps: NestFastifyApplication[] = [];
  // As each app alone would (main.ts): both drain together, then close their pools; the database goes last, once
  // no request can need it.
  const stop = async (): Promise<boolean> => {
    let clean = await shutDownApps(apps, config.shutdownGraceMs);
    if (embedded) {
      clean =
        (await embedded.stop().then(
          () => true,
          (error: unknown) => {
            process.stderr.write(
              `Stopping PostgreSQL failed: ${error instanceof Error ? error.message : String(error)}\n`,
            );
            return false;
          },
        )) && clean;
    }
    return clean;
  };
  onShutdownSignal(async () => ((await stop()) ? 0 : 1), ['SIGINT', 'SIGTERM', 'SIGHUP']);

  try {
    if (!config.databaseUrl) {
      process.stdout.write(`Starting embedded PostgreSQL (data in ${config.embeddedPostgresDir}) ...\n`);
      embedded = await startEmbeddedPostgres({
        dataDir: config.embeddedPostgresDir,
        port: config.embeddedPostgresPort,
      });
      config = config.with({ databaseUrl: await ensureDatabase(embedded.serverUrl, 'loyalty') });
    }
    // One after the other: the first applies the migrations, the second finds none to apply.
    const storefront = await createStorefrontApp(config);
    apps.push(storefront);
    await storefront.listen({ port: config.storefrontPort, host: config.host });
    const omnitron = await createOmnitronApp(config);
    apps.push(omnitron);
    await omnitron.listen({ port: config.omnitronPort, host: config.host });
    // A new installation has no staff: create a demo superuser and show its credentials this once.
    const demo = await omnitron.get(StaffService).ensureDemoStaff();
    const base = (port: number): string => `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
    process.stdout.write(
      [
        '',
        'Loyalty service is running:',
        `  Storefront API   ${base(config.storefrontPort)}/   Swagger UI: ${base(config.storefrontPort)}/docs/`,
        `  Back-office API  ${base(config.omnitronPort)}/   Swagger UI: ${base(config.omnitronPort)}/docs/`,
        `  Back office (web pages for staff): ${base(config.omnitronPort)}/admin/`,
        ...(demo
          ? [
              '',
              'Created the demo back-office user (shown once, keep it):',
              `  username: ${demo.username}   password: ${demo.password}`,
              `  Authorization: Token ${demo.token}`,
              '',
            ]
          : []),
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    process.stderr.write(`Start failed: ${error instanceof Error ? error.message : String(error)}\n`);
    await stop();
    process.exit(1);
  }
}

void main();
