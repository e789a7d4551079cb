import { Global, Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { getDataSourceToken, InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, Clock, DatabasePoolStats, type PoolStats, RedisConnection } from '@app/common';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsLocked } from './migrations-runner';
import { Counters, PostgresCounters, RedisCounters } from './coordination/counters';
import { Leases } from './coordination/leases';

/** The metrics' view of the app's pg pool (TypeORM's driver holds it). */
@Injectable()
export class TypeOrmPoolStats extends DatabasePoolStats {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  current(): PoolStats | undefined {
    return (this.dataSource.driver as unknown as { master?: PoolStats }).master ?? undefined;
  }
}

/** Applies pending migrations while the app boots (MIGRATIONS_RUN, on by default), before it accepts requests. */
@Injectable()
export class MigrationsOnBoot implements OnModuleInit {
  private readonly logger = new Logger('Migrations');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.migrationsRun) return;
    const applied = await runMigrationsLocked(this.dataSource);
    if (applied.length > 0) this.logger.log(`Applied migrations: ${applied.join(', ')}`);
  }
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        if (!config.databaseUrl) {
          throw new Error('Invalid setting DATABASE_URL: required to start an app (npm start provides one)');
        }
        return {
          ...dataSourceOptions({
            url: config.databaseUrl,
            poolSize: config.databasePoolSize,
            statementTimeoutMs: config.databaseStatementTimeoutMs,
          }),
          // Fail fast at boot instead of TypeORM's default of retrying for half a minute.
          retryAttempts: 1,
          retryDelay: 500,
        };
      },
    }),
  ],
  providers: [
    MigrationsOnBoot,
    Leases,
    { provide: DatabasePoolStats, useClass: TypeOrmPoolStats },
    {
      // Where the abuse limits count: Redis when REDIS_URL is set (as the sessions), PostgreSQL otherwise.
      provide: Counters,
      inject: [RedisConnection, getDataSourceToken(), Clock],
      useFactory: (redis: RedisConnection, dataSource: DataSource, clock: Clock): Counters =>
        redis.client ? new RedisCounters(redis, clock) : new PostgresCounters(dataSource, clock),
    },
  ],
  exports: [Leases, Counters, DatabasePoolStats],
})
@Global()
export class DatabaseModule {}
