import type { MinorUnits } from '@app/common';

/** What the ledger needs to know about an order; checkout implements it. */
export interface LedgerOrder {
  pk: number;
  number: string;
  user_id: number;
  /** Lower-case currency code, as in loyalty_account.currency. */
  currency: string;
  total_minor: MinorUnits;
}

export interface LedgerOrderLookup {
  findByNumber(channelId: number, orderNumber: string): Promise<LedgerOrder | null>;
}

export interface LedgerUser {
  id: number;
  email: string;
}

/** Users live in the identity lib; the ledger stores only their ids and asks for emails here. */
export interface LedgerUserDirectory {
  findById(channelId: number, userId: number): Promise<LedgerUser | null>;
  findIdsByEmail(channelId: number, email: string): Promise<number[]>;
  /** The currencies the channel sells in: the only ones its store-credit accounts may hold. */
  currenciesOf(channelId: number): Promise<readonly string[]>;
}

export const LEDGER_ORDER_LOOKUP = Symbol('LEDGER_ORDER_LOOKUP');
export const LEDGER_USER_DIRECTORY = Symbol('LEDGER_USER_DIRECTORY');

/**
 * The order lookup until checkout exists: it knows no order, so refunds, cross-refunds and order payments are
 * refused with a field error on the order. Checkout will provide the real implementation through
 * `LedgerModule.forRoot({ orders })`.
 */
export class NoOrderLookup implements LedgerOrderLookup {
  findByNumber(): Promise<LedgerOrder | null> {
    return Promise.resolve(null);
  }
}
