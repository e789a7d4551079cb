import { Client } from 'pg';

/** Names shared by the global setup, the workers and the teardown of one jest run. */
export const TEST_DB_PREFIX = 'lt_';

export function runDatabaseName(runId: string, suffix: string): string {
  return `${TEST_DB_PREFIX}${runId}_${suffix}`;
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabases(serverUrl: string, names: string[]): Promise<void> {
  await withClient(serverUrl, async (client) => {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/** Test databases of runs whose jest process is gone (killed runs): their names carry the pid. */
export async function staleRunDatabases(serverUrl: string): Promise<string[]> {
  const rows = await withClient(serverUrl, (client) =>
    client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${TEST_DB_PREFIX}%`]),
  );
  return rows.rows
    .map((r) => r.datname)
    .filter((name) => {
      const pid = Number(/^lt_[a-z0-9]+p(\d+)_/.exec(name)?.[1]);
      if (!Number.isInteger(pid) || pid <= 0) return false;
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
}
