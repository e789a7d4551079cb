import { join } from 'node:path';
import { Client } from 'pg';
import { type EmbeddedPostgresHandle, ensureDatabase, startEmbeddedPostgres } from '@app/database';

export interface BenchDatabase {
  url: string;
  /** Drops the run's database and stops the embedded server, if one was started. */
  drop: () => Promise<void>;
}

/**
 * A database of its own for one benchmark run, named `<prefix>_<time>`: on DATABASE_URL's server when it is set,
 * otherwise on an embedded PostgreSQL in .data/bench-postgres.
 */
export async function createBenchDatabase(prefix: string): Promise<BenchDatabase> {
  let embedded: EmbeddedPostgresHandle | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: join(process.cwd(), '.data', 'bench-postgres'), port: 54331 });
    serverUrl = embedded.serverUrl;
  }
  const server = serverUrl;
  const name = `${prefix}_${Date.now().toString(36)}`;
  const url = await ensureDatabase(server, name);
  return {
    url,
    drop: async () => {
      const admin = new Client({ connectionString: server });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
        await embedded?.stop();
      }
    },
  };
}
