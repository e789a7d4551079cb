import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type AppConfig, ConfigModule, CoreModule } from '@app/common';
import { DatabaseModule } from '@app/database';
import { SettingsModule } from '@app/settings';
import {
  type LedgerOrder,
  type LedgerOrderLookup,
  LedgerModule,
  type LedgerUser,
  type LedgerUserDirectory,
} from '@app/ledger';

/** Benchmark users straight from the users table (the app wires identity's directory; this needs no HTTP). */
class SqlUserDirectory implements LedgerUserDirectory {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findById(channelId: number, userId: number): Promise<LedgerUser | null> {
    const rows: { id: number; email: string }[] = await this.dataSource.query(
      'SELECT id, email FROM users WHERE channel_id = $1 AND id = $2',
      [channelId, userId],
    );
    return rows[0] ?? null;
  }

  async findIdsByEmail(channelId: number, email: string): Promise<number[]> {
    const rows: { id: number }[] = await this.dataSource.query(
      'SELECT id FROM users WHERE channel_id = $1 AND email_lower = lower($2)',
      [channelId, email],
    );
    return rows.map((r) => r.id);
  }

  async currenciesOf(channelId: number): Promise<readonly string[]> {
    const rows: { currencies: string[] }[] = await this.dataSource.query(
      'SELECT currencies FROM channels WHERE id = $1',
      [channelId],
    );
    return rows[0]?.currencies ?? [];
  }
}

/** Orders named `bench-<user id>-<run>-<n>`, each of 0.01 in try: the benchmark pays them without a checkout. */
export class BenchOrderLookup implements LedgerOrderLookup {
  findByNumber(_channelId: number, orderNumber: string): Promise<LedgerOrder | null> {
    const match = /^bench-(\d+)-\d+-(\d+)$/.exec(orderNumber);
    if (!match) return Promise.resolve(null);
    return Promise.resolve({
      pk: Number(match[2]),
      number: orderNumber,
      user_id: Number(match[1]),
      currency: 'try',
      total_minor: 1n,
    });
  }
}

@Module({})
class BenchLedgerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: BenchLedgerModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        CoreModule.forApp('bench'),
        SettingsModule,
        LedgerModule.forRoot({ users: { useClass: SqlUserDirectory }, orders: { useClass: BenchOrderLookup } }),
      ],
    };
  }
}

/** The ledger services wired as an app wires them, without HTTP: for seeding and the service-level runs. */
export function createLedgerContext(config: AppConfig): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(BenchLedgerModule.forRoot(config), { logger: false });
}
