import 'reflect-metadata';
import { AppConfig } from '@app/common';
import { createStorefrontApp } from './storefront.app';

/** Production entry: one storefront instance; DATABASE_URL is required (npm start provides an embedded one). */
async function main(): Promise<void> {
  const config = AppConfig.fromEnv();
  const app = await createStorefrontApp(config);
  // Alone in its process: SIGTERM/SIGINT close the app (and its pools) before exit. npm start closes its own.
  app.enableShutdownHooks();
  await app.listen({ port: config.storefrontPort, host: config.host });
  process.stdout.write(`storefront listening on ${await app.getUrl()}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
