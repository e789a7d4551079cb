import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { LEDGER_ORDER_LOOKUP, LEDGER_USER_DIRECTORY, type LedgerOrderLookup, type LedgerUserDirectory } from './ports';
import { LedgerRepository } from './repositories/ledger.repository';
import { DynamicSettingsService } from './services/dynamic-settings.service';
import { LedgerEngine } from './services/ledger-engine';
import { LedgerQueryService } from './services/ledger-query.service';
import { LedgerService } from './services/ledger.service';
import { LoyaltyAccountService } from './services/loyalty-account.service';

const SERVICES = [LoyaltyAccountService, LedgerService, LedgerQueryService, DynamicSettingsService];

/**
 * The store-credit ledger. Needs a TypeORM DataSource (DatabaseModule), AppConfig and Clock (CoreModule) in scope,
 * and the two ports: `LEDGER_USER_DIRECTORY` (identity) and `LEDGER_ORDER_LOOKUP` (checkout).
 */
@Module({})
export class LedgerModule {
  static forRoot(options: {
    users:
      | { useClass: new (...args: never[]) => LedgerUserDirectory }
      | { useValue: LedgerUserDirectory }
      | { useExisting: unknown };
    orders:
      | { useClass: new (...args: never[]) => LedgerOrderLookup }
      | { useValue: LedgerOrderLookup }
      | { useExisting: unknown };
    imports?: DynamicModule['imports'];
  }): DynamicModule {
    return {
      module: LedgerModule,
      imports: options.imports ?? [],
      providers: [
        LedgerRepository,
        LedgerEngine,
        ...SERVICES,
        { provide: LEDGER_USER_DIRECTORY, ...options.users } as Provider,
        { provide: LEDGER_ORDER_LOOKUP, ...options.orders } as Provider,
      ],
      exports: SERVICES,
    };
  }
}
