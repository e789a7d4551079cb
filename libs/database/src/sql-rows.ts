import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';

/**
 * Runs one parameterised statement and answers its rows. Inside a transaction (`dataSource.transaction`) it goes
 * straight to that transaction's pg connection: TypeORM's `query` adds, per statement, its logger and subscriber
 * broadcasts and a result wrapper, which measured more CPU than PostgreSQL spent on the ledger's hot statements
 * (docs/benchmarks.md). Errors stay `QueryFailedError`s, as `m.query` throws them, but TypeORM's logger does not
 * see these statements. Outside a transaction it runs straight on the pool (unnamed, so planned each time; see
 * preparedRows for a named one).
 */
export async function sqlRows<T>(m: EntityManager, text: string, parameters: readonly unknown[]): Promise<T[]> {
  const runner = m.queryRunner;
  if (!runner?.isTransactionActive || runner.isReleased) {
    // Outside a transaction: straight on the pool, without a TypeORM query runner made and released per statement.
    const pool = (m.dataSource.driver as unknown as { master: Pool }).master;
    try {
      return (await pool.query<T & QueryResultRow>(text, parameters as unknown[])).rows;
    } catch (error) {
      throw new QueryFailedError(text, [...parameters], error as Error);
    }
  }
  const client = (await runner.connect()) as PoolClient;
  try {
    return (await client.query(text, parameters as unknown[])).rows as T[];
  } catch (error) {
    throw new QueryFailedError(text, [...parameters], error as Error);
  }
}

/**
 * Runs one statement on its own (autocommit) straight on the pool of the DataSource's driver, as a named prepared
 * statement: PostgreSQL parses and plans it once per connection, and no TypeORM query runner is made for it. For the
 * hot paths that do a whole operation in one call (the ledger's functions). Errors stay `QueryFailedError`s.
 */
export async function preparedRows<T>(
  dataSource: DataSource,
  name: string,
  text: string,
  parameters: readonly unknown[],
): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  try {
    return (await pool.query<T & QueryResultRow>({ name, text, values: parameters as unknown[] })).rows;
  } catch (error) {
    throw new QueryFailedError(text, [...parameters], error as Error);
  }
}
