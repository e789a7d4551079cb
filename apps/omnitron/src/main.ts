import 'reflect-metadata';
import { AppConfig, onShutdownSignal, shutDownApps } from '@app/common';
import { createOmnitronApp } from './omnitron.app';

/** Production entry: one omnitron instance; DATABASE_URL is required (npm start provides an embedded one). */
async function main(): Promise<void> {
  const config = AppConfig.fromEnv();
  const app = await createOmnitronApp(config);
  // SIGTERM/SIGINT: stop listening, answer what was received (up to SHUTDOWN_GRACE_MS), close the pools, exit.
  // npm start handles the signals of its two apps itself.
  onShutdownSignal(async () => ((await shutDownApps([app], config.shutdownGraceMs)) ? 0 : 1));
  await app.listen({ port: config.omnitronPort, host: config.host });
  process.stdout.write(`omnitron listening on ${await app.getUrl()}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
