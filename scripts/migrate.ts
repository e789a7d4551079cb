import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/common';
import { dataSourceOptions, runMigrationsLocked } from '@app/database';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL (the apps also do it at boot). */
async function main(): Promise<void> {
  const config = AppConfig.fromEnv();
  if (!config.databaseUrl) throw new Error('Invalid setting DATABASE_URL: required to run migrations');
  const dataSource = await new DataSource(
    dataSourceOptions({ url: config.databaseUrl, poolSize: 2, statementTimeoutMs: config.databaseStatementTimeoutMs }),
  ).initialize();
  try {
    const applied = await runMigrationsLocked(dataSource);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'No pending migrations.\n');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
