import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { PG_TYPES } from './int8';
import { SafeTypeOrmLogger } from './safe-typeorm-logger';

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  /** Only throwaway test databases may use it; everything else runs migrations. */
  synchronize?: boolean;
  migrationsRun?: boolean;
  logging?: boolean;
}

/** Where entities and migrations live, relative to this file, in the sources (ts) and the build (js). */
const LIBS_ROOT = join(__dirname, '..', '..');
export const ENTITY_GLOBS = [join(LIBS_ROOT, '*', 'src', '**', '*.entity.{ts,js}')];
export const MIGRATION_GLOBS = [join(__dirname, 'migrations', '*.{ts,js}')];

/** The one DataSource configuration: used by both apps, the migration CLI (ormconfig.ts) and the tests. */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: ENTITY_GLOBS,
    migrations: MIGRATION_GLOBS,
    migrationsTableName: 'typeorm_migrations',
    migrationsRun: settings.migrationsRun ?? false,
    migrationsTransactionMode: 'each',
    synchronize: settings.synchronize ?? false,
    logging: settings.logging ? ['error', 'warn', 'migration'] : ['error', 'migration'],
    // Failed queries by their shape and code only: never parameters or row details (docs/security.md).
    logger: new SafeTypeOrmLogger(settings.logging ?? false),
    // Every pool setting is explicit: a stuck query or an exhausted pool fails fast instead of hanging a request.
    extra: {
      // int8 (the ledger's bigint ids, counts) read as exact numbers: int8.ts.
      types: PG_TYPES,
      max: settings.poolSize,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: settings.statementTimeoutMs,
      idle_in_transaction_session_timeout: Math.max(settings.statementTimeoutMs * 2, 10_000),
      application_name: 'loyalty-service',
      // Money operations run in READ COMMITTED and lock the rows they change (see docs/ledger.md). Set as the
      // session default at connect, so a transaction needs no SET TRANSACTION round trip, whatever the server's
      // own default is.
      // A money operation is one autocommit statement (docs/ledger.md, "One round trip"): when the app is gone
      // (killed, or its connections cut at the end of a shutdown's grace period) while that statement waits on a
      // lock, the server must see it and roll back rather than commit an answer nobody receives. PostgreSQL only
      // looks at the client's socket while a statement runs when this is set (PostgreSQL 14 and later).
      options: '-c default_transaction_isolation=read\\ committed -c client_connection_check_interval=1000',
    },
  };
}
