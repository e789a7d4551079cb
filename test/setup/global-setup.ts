import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../libs/database/src/embedded-postgres';
import { dropDatabases, runDatabaseName, staleRunDatabases, withClient } from './test-database';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

/**
 * Finds a PostgreSQL for the run: DATABASE_URL's server when set (CI, real servers), otherwise an embedded one.
 * It creates the run's empty template database; the first test file to need a database migrates it
 * (see test/helpers/database.ts), and every test file then gets its own copy of it.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = join(__dirname, '..', '..', '.data', 'test-postgres');
    mkdirSync(dataDir, { recursive: true });
    const handle = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    (globalThis as { __embeddedPostgres?: typeof handle }).__embeddedPostgres = handle;
    serverUrl = handle.serverUrl;
  }
  const runId = `${Date.now().toString(36)}p${process.pid}`;
  await dropDatabases(serverUrl, await staleRunDatabases(serverUrl));
  const template = runDatabaseName(runId, 'tpl');
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${template}`));
  process.env.TEST_PG_SERVER_URL = serverUrl;
  process.env.TEST_RUN_ID = runId;
  // Each test file adds how many responses it validated against the OpenAPI documents; the reporter sums them.
  process.env.TEST_OPENAPI_COUNT_DIR = mkdtempSync(join(tmpdir(), 'openapi-validated-'));
  // Apps under test read their settings from the environment like in production; DATABASE_URL is per test file.
  delete process.env.DATABASE_URL;
}
