import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { LEDGER_ORDER_LOOKUP, LEDGER_USER_DIRECTORY, type LedgerOrderLookup, type LedgerUserDirectory } from './ports';
import { LedgerAuditRepository } from './repositories/ledger-audit.repository';
import { LedgerListRepository } from './repositories/ledger-list.repository';
import { LedgerRepository } from './repositories/ledger.repository';
import { AccountViewCache } from './services/account-view-cache';
import { EarningReversals } from './services/earning-reversals';
import { LedgerFunctions } from './repositories/ledger-functions';
import { LedgerEngine } from './services/ledger-engine';
import { LedgerQueryService } from './services/ledger-query.service';
import { LedgerService } from './services/ledger.service';
import { LoyaltyAccountService } from './services/loyalty-account.service';
import { RefundDestinations } from './services/refund-destinations';

const SERVICES = [LoyaltyAccountService, LedgerService, LedgerQueryService];

/** How a port is provided: a class to instantiate, a ready value, or another provider's token. */
export type PortProvider<T> = { useClass: Type<T> } | { useValue: T } | { useExisting: string | symbol | Type<T> };

export interface LedgerModuleOptions {
  users: PortProvider<LedgerUserDirectory>;
  orders: PortProvider<LedgerOrderLookup>;
  /** Modules the port implementations need (identity, checkout). */
  imports?: DynamicModule['imports'];
}

/**
 * The store-credit ledger. Needs a TypeORM DataSource (DatabaseModule), AppConfig and Clock (CoreModule) in scope,
 * and the two ports: the user directory (identity) and the order lookup (checkout).
 */
@Module({})
export class LedgerModule {
  static forRoot(options: LedgerModuleOptions): DynamicModule {
    const users: Provider = { provide: LEDGER_USER_DIRECTORY, ...options.users };
    const orders: Provider = { provide: LEDGER_ORDER_LOOKUP, ...options.orders };
    return {
      module: LedgerModule,
      imports: options.imports ?? [],
      providers: [
        LedgerRepository,
        LedgerListRepository,
        LedgerAuditRepository,
        LedgerFunctions,
        LedgerEngine,
        AccountViewCache,
        EarningReversals,
        RefundDestinations,
        ...SERVICES,
        users,
        orders,
      ],
      exports: SERVICES,
    };
  }
}
