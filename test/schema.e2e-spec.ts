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
