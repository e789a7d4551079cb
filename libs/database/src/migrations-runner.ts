import type { DataSource } from 'typeorm';
import { ADVISORY_LOCK_KEYS } from './coordination/lock-keys';

/**
 * Runs pending migrations holding a PostgreSQL advisory lock, so several instances booting together against one
 * database migrate it once and the others wait, then find nothing to do. It holds one pooled connection for the
 * lock while the migrations use another: the pool needs at least two.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEYS.migrations]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEYS.migrations]);
    }
  } finally {
    await runner.release();
  }
}
