import { DataSource } from 'typeorm';
import { minorFromDecimalText } from '@app/common';
import { newOrderNumber, OrderEntity, type OrderItemSnapshot, type OrderStatus } from '@app/checkout';
import { StaffService } from '@app/identity';
import { LoyaltyAccountService } from '@app/ledger';
import { createProduct, customerSession, placeLoyaltyOrder, type StorefrontCustomer } from './checkout';
import { csrfToken, PASSWORD, register, uniqueEmail } from './identity';
import { type LedgerHarness } from './ledger';
import { adminAccounts } from './ledger-edge';
import type { TestApp } from './test-app';

/*
 * Fixture factories: one call for each thing a test needs before it can say what it checks. Each takes defaults
 * that fit most tests and makes names no other test (or test process) uses, so tests sharing a database do not
 * collide. They build what they make the way the apps do (the services, the storefront's own requests), never by
 * writing a balance or a session by hand; channels and bare user rows are the exceptions: no service creates them.
 */

let counter = 0;
const unique = (prefix: string): string => `${prefix}-${process.pid}-${++counter}-${Date.now().toString(36)}`;

export interface ChannelFixture {
  id: number;
  name: string;
  defaultCurrency: string;
  currencies: string[];
}

/** A sales channel besides the demo's channel 1 (by default a USD-only, English one). */
export async function newChannel(
  app: TestApp,
  overrides: { name?: string; defaultCurrency?: string; currencies?: string[]; defaultLanguage?: string } = {},
): Promise<ChannelFixture> {
  const defaultCurrency = overrides.defaultCurrency ?? 'usd';
  const channel = {
    name: overrides.name ?? unique('Channel'),
    defaultCurrency,
    currencies: overrides.currencies ?? [defaultCurrency],
  };
  const rows: { id: number }[] = await app.app
    .get(DataSource)
    .query(
      'INSERT INTO channels (name, default_currency, currencies, default_language) VALUES ($1, $2, $3, $4) RETURNING id',
      [channel.name, channel.defaultCurrency, channel.currencies, overrides.defaultLanguage ?? 'en'],
    );
  return { id: rows[0].id, ...channel };
}

export interface StaffFixture {
  id: number;
  username: string;
  password: string;
  /** The key the back office's login answered. */
  token: string;
  /** `Authorization` and an English `Accept-Language`, as the back office sends them. */
  headers: Record<string, string>;
}

/** A staff user of the omnitron app, signed in through the login endpoint as the back office does it. */
export async function newStaff(
  omnitron: TestApp,
  options: { channels?: number[]; superuser?: boolean; username?: string } = {},
): Promise<StaffFixture> {
  const username = options.username ?? unique('staff');
  const superuser = options.superuser ?? false;
  const channelIds = options.channels ?? (superuser ? [] : [1]);
  const staff = await omnitron.app.get(StaffService).create({ username, password: PASSWORD, superuser, channelIds });
  const login = await omnitron.http.request('/api/v1/auth/login/', { json: { username, password: PASSWORD } });
  if (login.status !== 200) throw new Error(`staff login of ${username}: ${login.status} ${login.text}`);
  const token = login.body.key as string;
  return {
    id: staff.id,
    username,
    password: PASSWORD,
    token,
    headers: { Authorization: `Token ${token}`, 'Accept-Language': 'en' },
  };
}

/**
 * A newly registered customer of channel 1, signed in on the storefront as its proxy drives it (session cookie,
 * CSRF pair; see `customerSession`). Store credit is `fundedAccount(storefront, { owner: customer, ... })`.
 */
export async function newCustomer(
  storefront: TestApp,
  overrides: { email?: string } = {},
): Promise<StorefrontCustomer> {
  const email = overrides.email ?? uniqueEmail();
  const { session } = await register(storefront.http, email);
  const token = await csrfToken(storefront.http);
  const rows: { id: number }[] = await storefront.app
    .get(DataSource)
    .query('SELECT id FROM users WHERE channel_id = 1 AND email_lower = lower($1)', [email]);
  return customerSession(storefront, { session, token, userId: rows[0].id, email });
}

/**
 * A user row of a channel that never signed in: an account or order owner for tests that run no storefront (a
 * ledger harness or the omnitron app alone). Tests of what a customer does use `newCustomer`.
 */
export async function newUserRow(
  target: TestApp | LedgerHarness,
  options: { channel?: number; email?: string } = {},
): Promise<{ id: number; email: string }> {
  const email = options.email ?? uniqueEmail('row');
  const dataSource = isHarness(target) ? target.dataSource : target.app.get(DataSource);
  const channel = options.channel ?? 1;
  const rows: { id: number }[] = await dataSource.query(
    `INSERT INTO users (channel_id, username, email, email_lower, password_hash, date_joined, modified_date)
     VALUES ($1, $2, $2, $3, 'x', now(), now()) RETURNING id`,
    [channel, email, email.toLowerCase()],
  );
  if (isHarness(target)) target.users.add(channel, rows[0].id, email);
  return { id: rows[0].id, email };
}

function isHarness(target: TestApp | LedgerHarness): target is LedgerHarness {
  return 'accounts' in target && 'users' in target;
}

/** Far above the ids the ledger specs give their fake users by hand. */
let nextFakeUser = 500_000;

export type AccountOwner = number | { userId: number } | { id: number };

const ownerId = (owner: AccountOwner): number =>
  typeof owner === 'number' ? owner : 'userId' in owner ? owner.userId : owner.id;

/**
 * A customer account holding `balance`, funded as the ledger funds one: opened through the account service with an
 * opening transaction from BANK (never a balance written by hand). The owner defaults to a new user: a fake one on
 * a ledger harness, a user row on an app.
 */
export async function fundedAccount(
  target: TestApp | LedgerHarness,
  options: {
    owner?: AccountOwner;
    currency?: string;
    balance: string;
    channel?: number;
    debitAllowed?: boolean;
    number?: string;
    /** An invoice account (a refund opens one in production); by default a customer account. */
    kind?: 'customer' | 'invoice';
  },
) {
  const channel = options.channel ?? 1;
  let owner: number;
  if (options.owner !== undefined) {
    owner = ownerId(options.owner);
  } else if (isHarness(target)) {
    owner = nextFakeUser++;
    target.users.add(channel, owner);
  } else {
    owner = (await newUserRow(target, { channel })).id;
  }
  const accounts = isHarness(target) ? target.accounts : adminAccounts(target.app.get(LoyaltyAccountService));
  return accounts.create(channel, {
    user: owner,
    currency: options.currency ?? 'try',
    balance: options.balance,
    debit_allowed: options.debitAllowed ?? false,
    ...(options.number === undefined ? {} : { number: options.number }),
    ...(options.kind === undefined ? {} : { kind: options.kind }),
  });
}

/**
 * An order of channel 1 placed through the checkout pages and paid entirely with store credit (LOYALTY_MONEY_ENABLED
 * must be on): a product of `price`, `quantity` of it, and the credit it needs given to the customer first.
 */
export async function newOrder(
  storefront: TestApp,
  /** `credit: null`: the customer has store credit already (a second account in one currency is refused). */
  options: { customer?: StorefrontCustomer; price?: string; quantity?: number; credit?: string | null } = {},
): Promise<{ customer: StorefrontCustomer; product: number; number: string; token: string }> {
  const customer = options.customer ?? (await newCustomer(storefront));
  const price = options.price ?? '10.00';
  const product = await createProduct(storefront, price);
  if (options.credit !== null) {
    await fundedAccount(storefront, { owner: customer, balance: options.credit ?? '1000.00', debitAllowed: true });
  }
  const token = await placeLoyaltyOrder(customer, product, options.quantity ?? 1);
  // The thank-you token is `<order number>-<signature>`.
  return { customer, product, number: token.split('-')[0], token };
}

/**
 * An order row written as it is stored, in the status and at the time a test needs: for the ledger's order lookup
 * and payments in tests that run no storefront (a ledger harness, the omnitron app alone), and for order lists
 * that need orders of given totals, statuses and creation times. Nothing is paid for it (no card charge, no store
 * credit moved). Tests of an order placed as a customer places it use `newOrder`.
 */
export async function newOrderRow(
  target: TestApp | LedgerHarness,
  options: {
    owner: AccountOwner;
    total: string;
    status?: OrderStatus;
    channel?: number;
    /** By default one line of the demo mug at `total`. */
    items?: OrderItemSnapshot[];
    /** All of the total by store credit (the default) or all of it by card. */
    paidBy?: 'store credit' | 'card';
    /** ISO time; by default now. */
    created?: string;
  },
): Promise<{ id: number; number: string }> {
  const dataSource = isHarness(target) ? target.dataSource : target.app.get(DataSource);
  const number = newOrderNumber();
  const { total } = options;
  const minor = minorFromDecimalText(total);
  const byCard = options.paidBy === 'card';
  const inserted = await dataSource.getRepository(OrderEntity).insert({
    number,
    channelId: options.channel ?? 1,
    userId: ownerId(options.owner),
    currency: 'try',
    items: options.items ?? [
      { product: 1, sku: 'DEMO-MUG', name: 'Demo mug', quantity: 1, unit_price: total, total_amount: total },
    ],
    totalAmount: minor,
    loyaltyAmount: byCard ? 0n : minor,
    cardAmount: byCard ? minor : 0n,
    status: options.status ?? 'pending',
    paymentOption: byCard ? 'credit_card' : 'loyalty_money',
    ...(options.created === undefined ? {} : { createdDate: new Date(options.created) }),
  });
  return { id: (inserted.identifiers[0] as { id: number }).id, number };
}
