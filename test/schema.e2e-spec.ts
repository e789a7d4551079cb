import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/database';
import { createTestDatabase } from './helpers/database';

describe('database schema', () => {
  it('is exactly what the entities describe once the migrations ran (no migration is missing)', async () => {
    const dataSource = await new DataSource(
      dataSourceOptions({ url: await createTestDatabase(), poolSize: 2, statementTimeoutMs: 60_000 }),
    ).initialize();
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('database sessions', () => {
  it('run in READ COMMITTED even where the database defaults to another level', async () => {
    const url = await createTestDatabase();
    const database = new URL(url).pathname.slice(1);
    const dataSource = await new DataSource(
      dataSourceOptions({ url, poolSize: 2, statementTimeoutMs: 60_000 }),
    ).initialize();
    try {
      await dataSource.query(`ALTER DATABASE "${database}" SET default_transaction_isolation = 'serializable'`);
      const plain = new DataSource({ type: 'postgres', url });
      await plain.initialize();
      const fresh = await new DataSource(
        dataSourceOptions({ url, poolSize: 2, statementTimeoutMs: 60_000 }),
      ).initialize();
      try {
        // The database setting is real: a connection without the app's options gets it.
        expect(await isolationOf(plain)).toBe('serializable');
        expect(await isolationOf(fresh)).toBe('read committed');
      } finally {
        await plain.destroy();
        await fresh.destroy();
      }
    } finally {
      await dataSource.destroy();
    }
  });
});

async function isolationOf(dataSource: DataSource): Promise<string> {
  return dataSource.transaction(async (m) => {
    const rows: { transaction_isolation: string }[] = await m.query('SHOW transaction_isolation');
    return rows[0].transaction_isolation;
  });
}
