import { dropDatabases, TEST_DB_PREFIX, withClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.TEST_PG_SERVER_URL;
  const runId = process.env.TEST_RUN_ID;
  if (serverUrl && runId) {
    const names = await withClient(serverUrl, (client) =>
      client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
        `${TEST_DB_PREFIX}${runId}_%`,
      ]),
    );
    await dropDatabases(
      serverUrl,
      names.rows.map((r) => r.datname),
    );
  }
  const handle = (globalThis as { __embeddedPostgres?: { stop(): Promise<void> } }).__embeddedPostgres;
  if (handle) await handle.stop();
}
