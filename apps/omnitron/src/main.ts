import 'reflect-metadata';
import { AppConfig } from '@app/common';
import { createOmnitronApp } from './omnitron.app';

/** Production entry: one omnitron instance; DATABASE_URL is required (npm start provides an embedded one). */
async function main(): Promise<void> {
  const config = AppConfig.fromEnv();
  const app = await createOmnitronApp(config);
  // Alone in its process: SIGTERM/SIGINT close the app (and its pools) before exit. npm start closes its own.
  app.enableShutdownHooks();
  await app.listen({ port: config.omnitronPort, host: config.host });
  process.stdout.write(`omnitron listening on ${await app.getUrl()}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
