import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppConfig, Clock, ManualClock, type MinorUnits, RedisModule } from '@app/common';
import { dataSourceOptions } from '@app/database';
import { DynamicSettingsService, SettingsModule } from '@app/settings';
import {
  type LedgerOrder,
  type LedgerOrderLookup,
  LedgerModule,
  LedgerQueryService,
  LedgerService,
  type LedgerUser,
  type LedgerUserDirectory,
  LoyaltyAccountService,
  type PortProvider,
} from '@app/ledger';
import { createTestDatabase } from './database';
import { type AdminAccounts, adminAccounts, type AdminLedger, adminLedger } from './ledger-edge';

/** Users of the identity lib, faked: channel -> users. */
export class FakeUserDirectory implements LedgerUserDirectory {
  private readonly users: (LedgerUser & { channelId: number })[] = [];

  add(channelId: number, id: number, email = `user${id}@example.com`): void {
    this.users.push({ channelId, id, email });
  }

  findById(channelId: number, userId: number): Promise<LedgerUser | null> {
    const user = this.users.find((u) => u.channelId === channelId && u.id === userId);
    return Promise.resolve(user ? { id: user.id, email: user.email } : null);
  }

  findIdsByEmail(channelId: number, email: string): Promise<number[]> {
    return Promise.resolve(
      this.users
        .filter((u) => u.channelId === channelId && u.email.toLowerCase() === email.toLowerCase())
        .map((u) => u.id),
    );
  }

  /** Every channel sells these. */
  currencies: readonly string[] = ['try', 'usd', 'eur', 'gbp', 'chf'];

  currenciesOf(): Promise<readonly string[]> {
    return Promise.resolve(this.currencies);
  }
}

/** Orders of the checkout lib, faked. */
export class FakeOrderLookup implements LedgerOrderLookup {
  private readonly orders = new Map<string, LedgerOrder>();
  private nextPk = 1000;

  add(channelId: number, number: string, userId: number, total_minor: MinorUnits, currency = 'try'): LedgerOrder {
    const order = { pk: this.nextPk++, number, user_id: userId, currency, total_minor };
    this.orders.set(`${channelId}:${number}`, order);
    return order;
  }

  findByNumber(channelId: number, orderNumber: string): Promise<LedgerOrder | null> {
    return Promise.resolve(this.orders.get(`${channelId}:${orderNumber}`) ?? null);
  }
}

@Global()
@Module({})
class TestInfrastructure {
  static with(dataSource: DataSource, config: AppConfig, clock: Clock): DynamicModule {
    const providers = [
      { provide: DataSource, useValue: dataSource },
      { provide: AppConfig, useValue: config },
      { provide: Clock, useValue: clock },
    ];
    return { module: TestInfrastructure, global: true, providers, exports: [DataSource, AppConfig, Clock] };
  }
}

export interface LedgerHarness {
  dataSource: DataSource;
  clock: ManualClock;
  users: FakeUserDirectory;
  orders: FakeOrderLookup;
  /** The services behind the back office's edge (test/helpers/ledger-edge.ts): requests as its DTOs. */
  accounts: AdminAccounts;
  ledger: AdminLedger;
  queries: LedgerQueryService;
  settings: DynamicSettingsService;
  close(): Promise<void>;
}

/**
 * A fresh migrated database and the ledger services wired by Nest exactly as an app wires them (LedgerModule),
 * with the identity and checkout ports faked. The pool is large enough for the concurrency tests.
 */
export async function createLedgerHarness(
  poolSize = 20,
  /**
   * The real order lookup instead of the fake (the fake's `add` then does nothing the ledger sees), made over the
   * harness's own database.
   */
  options: { orders?: (dataSource: DataSource) => PortProvider<LedgerOrderLookup> } = {},
): Promise<LedgerHarness> {
  const dataSource = await new DataSource({
    ...dataSourceOptions({ url: await createTestDatabase(), poolSize, statementTimeoutMs: 30_000 }),
    // Many tests make queries fail on purpose (unique indexes, triggers); the errors reach the tests, not the log.
    logging: false,
  }).initialize();
  const clock = new ManualClock(new Date('2026-01-01T00:00:00.000Z'));
  const users = new FakeUserDirectory();
  const orders = new FakeOrderLookup();
  const moduleRef = await Test.createTestingModule({
    imports: [
      TestInfrastructure.with(dataSource, AppConfig.fromEnv({}), clock),
      // No REDIS_URL: the broadcast is unavailable, so account reads are not cached (AccountViewCache).
      RedisModule,
      SettingsModule,
      LedgerModule.forRoot({
        users: { useValue: users },
        orders: options.orders?.(dataSource) ?? { useValue: orders },
      }),
    ],
  }).compile();
  return {
    dataSource,
    clock,
    users,
    orders,
    accounts: adminAccounts(moduleRef.get(LoyaltyAccountService)),
    ledger: adminLedger(moduleRef.get(LedgerService)),
    queries: moduleRef.get(LedgerQueryService),
    settings: moduleRef.get(DynamicSettingsService),
    close: async () => {
      await moduleRef.close();
      await dataSource.destroy();
    },
  };
}

/**
 * Every customer/invoice balance and the number of postings: "nothing moved" compares these. System accounts are
 * left out: they are created on first use, outside the money operation, and hold no balance of their own.
 */
export async function ledgerSnapshot(dataSource: DataSource): Promise<{ balances: string; postings: number }> {
  const balances: { id: number; balance: string }[] = await dataSource.query(
    `SELECT "id", "balance"::text AS "balance" FROM "loyalty_account" WHERE "kind" IN ('customer', 'invoice') ORDER BY "id"`,
  );
  const postings: { n: string }[] = await dataSource.query(`SELECT count(*)::text AS "n" FROM "loyalty_transfer"`);
  return { balances: JSON.stringify(balances), postings: Number(postings[0].n) };
}
