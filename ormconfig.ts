import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from './libs/common/src/config/app-config';
import { dataSourceOptions } from './libs/database/src/data-source-options';

/**
 * The DataSource of the TypeORM CLI (`npm run migration:generate`, `npm run migration:run`). Without DATABASE_URL it
 * points at the embedded PostgreSQL that `npm start` runs, so generating a migration needs `npm start` running.
 */
const config = AppConfig.fromEnv();
const url = config.databaseUrl ?? `postgres://postgres:postgres@127.0.0.1:${config.embeddedPostgresPort}/loyalty`;

export default new DataSource(
  dataSourceOptions({ url, poolSize: 2, statementTimeoutMs: config.databaseStatementTimeoutMs }),
);
