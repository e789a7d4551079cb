export * from './data-source-options';
export * from './embedded-postgres';
export * from './database.module';
export * from './migrations-runner';
export * from './sql-rows';
export * from './coordination/counters';
export * from './coordination/leases';
export * from './coordination/leader-election';
