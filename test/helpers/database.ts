import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrationsLocked } from '@app/database';
import { runDatabaseName, withClient, withDatabase } from '../setup/test-database';

/** Any fixed number; taken on the server's admin database, so it serialises every worker of the run. */
const TEMPLATE_LOCK_KEY = 48_211_903;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (npm test), which sets it`);
  return value;
}

/**
 * A fresh database for one test file, copied from the run's template. The template is migrated here (once: later
 * callers find no pending migration), so the schema under test is exactly what the migrations build.
 */
export async function createTestDatabase(): Promise<string> {
  const serverUrl = required('TEST_PG_SERVER_URL');
  const runId = required('TEST_RUN_ID');
  const template = runDatabaseName(runId, 'tpl');
  const name = runDatabaseName(
    runId, // Random: each test file has its own module registry, so a counter here would restart in every file.
    `w${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(5).toString('hex')}`,
  );
  await withClient(serverUrl, async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      const dataSource = await new DataSource(
        dataSourceOptions({ url: withDatabase(serverUrl, template), poolSize: 2, statementTimeoutMs: 60_000 }),
      ).initialize();
      try {
        await runMigrationsLocked(dataSource);
      } finally {
        await dataSource.destroy();
      }
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
  return withDatabase(serverUrl, name);
}
