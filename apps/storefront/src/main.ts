import 'reflect-metadata';
import { AppConfig, onShutdownSignal, shutDownApps } from '@app/common';
import { createStorefrontApp } from './storefront.app';

/** Production entry: one storefront instance; DATABASE_URL is required (npm start provides an embedded one). */
async function main(): Promise<void> {
  const config = AppConfig.fromEnv();
  const app = await createStorefrontApp(config);
  // SIGTERM/SIGINT: stop listening, answer what was received (up to SHUTDOWN_GRACE_MS), close the pools, exit.
  // npm start handles the signals of its two apps itself.
  onShutdownSignal(async () => ((await shutDownApps([app], config.shutdownGraceMs)) ? 0 : 1));
  await app.listen({ port: config.storefrontPort, host: config.host });
  process.stdout.write(`storefront listening on ${await app.getUrl()}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
