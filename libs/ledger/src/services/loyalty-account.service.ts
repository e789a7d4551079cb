import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AMOUNT_MAX_MINOR, Clock } from '@app/common';
import { violatedUniqueIndex } from '@app/database';
import type { EntityManager } from 'typeorm';
import type { AccountCreateCommand, AccountUpdateCommand } from '../commands';
import { type AccountKind, keepsRunningBalance, LoyaltyAccount } from '../entities/loyalty-account.entity';
import {
  AccountNotFoundError,
  AccountNumberTakenError,
  BalanceLimitError,
  CurrencyNotSoldError,
  CustomerAccountExistsError,
  NegativeBalanceNotAllowedError,
  OrderingInvalidError,
  OwnerEmailAmbiguousError,
  OwnerEmailMismatchError,
  OwnerEmailNotFoundError,
  OwnerNotFoundError,
  OwnerRequiredError,
  SystemAccountFixedError,
} from '../errors';
import { LEDGER_USER_DIRECTORY, type LedgerUserDirectory } from '../ports';
import { ACCOUNT_ORDERINGS, type AccountListQuery, type AccountOrdering } from '../repositories/account-list';
import { LedgerListRepository } from '../repositories/ledger-list.repository';
import { LedgerFunctions, LedgerRefusal } from '../repositories/ledger-functions';
import { LedgerRepository } from '../repositories/ledger.repository';
import { AccountViewCache } from './account-view-cache';
import { LedgerEngine, type LedgerContext } from './ledger-engine';
import { checkPage } from './pagination';
import { refusalError } from './refusals';
import { UserEmails } from './user-emails';
import type { AccountView, PageRequest, PageResult } from './views';

export interface AccountListFilters {
  user?: number;
  user_email?: string;
  currency?: string;
  number?: string;
  kind?: AccountKind;
}

export { ACCOUNT_ORDERINGS };

/** Orderings by a value every money operation changes: paged by number (see `list`). */
const MOVING_ORDERINGS: readonly AccountOrdering[] = ['balance', 'modified_date'];

@Injectable()
export class LoyaltyAccountService {
  constructor(
    private readonly engine: LedgerEngine,
    private readonly repository: LedgerRepository,
    private readonly clock: Clock,
    @Inject(LEDGER_USER_DIRECTORY) private readonly users: LedgerUserDirectory,
    private readonly functions: LedgerFunctions,
    private readonly lists: LedgerListRepository,
    private readonly cache: AccountViewCache,
  ) {}

  /** Opens an account; a non-zero balance is an 'opening' transaction from BANK, never a bare write. */
  async create(channelId: number, command: AccountCreateCommand, ctx: LedgerContext = {}): Promise<AccountView> {
    const { currency } = command;
    const balance = command.balance ?? 0n;
    const debitAllowed = command.debitAllowed ?? false;
    const kind = command.kind ?? 'customer';
    // An account in a currency the channel does not sell could never be spent, and its BANK account never removed.
    if (!(await this.users.currenciesOf(channelId)).includes(currency)) throw new CurrencyNotSoldError(currency);
    const number = command.number ?? randomUUID().replace(/-/g, '');
    if (this.engine.isSystemNumber(number)) throw new AccountNumberTakenError();
    if (balance > AMOUNT_MAX_MINOR || balance < -AMOUNT_MAX_MINOR) {
      throw new BalanceLimitError('account_create', AMOUNT_MAX_MINOR);
    }
    if (balance < 0n && !debitAllowed) throw new NegativeBalanceNotAllowedError('balance');
    const userId = await this.resolveUser(channelId, command.userId ?? null, command.userEmail ?? null);
    const bank = balance === 0n ? null : await this.engine.systemAccount(channelId, 'bank', currency);

    const request = { currency, number: command.number ?? null, balance, debit_allowed: debitAllowed, kind, userId };
    try {
      const { result } = await this.engine.run(channelId, 'account.create', request, ctx.idempotencyKey, async (m) => {
        if (kind === 'customer' && (await this.repository.findCustomerAccount(m, channelId, userId, currency))) {
          throw new CustomerAccountExistsError();
        }
        if (await this.repository.findAccountByNumber(m, channelId, currency, number)) {
          throw new AccountNumberTakenError();
        }
        const now = this.clock.now();
        const account = await this.repository.insertAccount(m, {
          channelId,
          kind,
          number,
          userId,
          currency,
          balance: 0n,
          debitAllowed,
          createdDate: now,
          modifiedDate: now,
        });
        if (!bank) return { account_id: account.id, transaction_uuid: null };
        const transaction = await this.engine.post(m, {
          operation: 'account_create',
          channel_id: channelId,
          kind: 'opening',
          currency,
          postings: [
            { account: bank, amount: -balance },
            { account, amount: balance },
          ],
          user_id: userId,
          actor_id: ctx.actorId ?? null,
          idempotency_key: ctx.idempotencyKey ?? null,
        });
        return { account_id: account.id, transaction_uuid: transaction.uuid };
      });
      return await this.get(channelId, result.account_id!);
    } catch (error) {
      // Two concurrent creations passed the pre-checks; the unique index refused the second.
      const index = violatedUniqueIndex(error);
      if (index === 'uq_loyalty_account_customer') throw new CustomerAccountExistsError();
      if (index === 'uq_loyalty_account_number') throw new AccountNumberTakenError();
      throw error;
    }
  }

  /**
   * Changes `debit_allowed` and/or sets the balance. A new balance is never written over the old one: the
   * difference is an 'adjustment' transaction with BANK, with the acting staff user and the optional reason.
   */
  async update(
    channelId: number,
    accountId: number,
    command: AccountUpdateCommand,
    ctx: LedgerContext = {},
  ): Promise<AccountView> {
    const target = command.balance ?? null;
    const debitAllowed = command.debitAllowed ?? null;
    const reason = command.reason ?? null;
    const current = await this.repository.findAccount(this.repository.outside, channelId, accountId);
    if (!current) throw new AccountNotFoundError('adjustment', null, accountId);
    if (!keepsRunningBalance(current.kind) && (target !== null || debitAllowed !== null)) {
      throw new SystemAccountFixedError(target !== null ? 'balance' : 'debit_allowed');
    }
    // One ledger_adjust call: the lock, the floor rule, debit_allowed and the balance, the adjustment with BANK.
    const key = LedgerEngine.validateKey(ctx.idempotencyKey);
    const request = { accountId, balance: target, debit_allowed: debitAllowed, reason };
    const call = () =>
      this.functions.adjust({
        channelId,
        accountId,
        target,
        debitAllowed,
        reason,
        actorId: ctx.actorId ?? null,
        key,
        fingerprint: key === null ? null : LedgerEngine.fingerprint('account.update', request),
        uuid: randomUUID(),
        now: this.clock.now(),
        balanceMax: AMOUNT_MAX_MINOR,
      });
    try {
      await call()
        .catch(async (error: unknown) => {
          // The first balance change in a currency: BANK is created in a short transaction of its own first.
          if (!(error instanceof LedgerRefusal && error.code === 'system_account_missing')) throw error;
          await this.engine.systemAccount(channelId, 'bank', current.currency);
          return call();
        })
        .finally(() => {
          this.cache.changed({ channelId, accounts: [accountId] });
        });
    } catch (error) {
      if (error instanceof LedgerRefusal && error.code === 'account_not_found') {
        throw new AccountNotFoundError('adjustment', null, accountId);
      }
      throw error instanceof LedgerRefusal ? refusalError(error, 'adjustment') : error;
    }
    return this.get(channelId, accountId);
  }

  /** Refuses an unknown account with a 404 without building its view (one indexed read). */
  async assertExists(channelId: number, accountId: number): Promise<void> {
    const account = await this.repository.findAccount(this.repository.outside, channelId, accountId);
    if (!account) throw new AccountNotFoundError('account_read', null, accountId);
  }

  /** One account's view; on several instances with Redis, from memory until it changes (AccountViewCache). */
  get(channelId: number, accountId: number): Promise<AccountView> {
    return this.cache.read(channelId, accountId, () => this.getUncached(channelId, accountId));
  }

  /** One account's view as PostgreSQL holds it now: for a decision about changing it (never from memory). */
  async getUncached(channelId: number, accountId: number): Promise<AccountView> {
    const account = await this.repository.findAccount(this.repository.outside, channelId, accountId);
    if (!account) throw new AccountNotFoundError('account_read', null, accountId);
    const [view] = await this.views(channelId, [account]);
    return view;
  }

  async list(
    channelId: number,
    filters: AccountListFilters = {},
    ordering = 'pk',
    page: PageRequest = { offset: 0, limit: 10 },
  ): Promise<PageResult<AccountView>> {
    checkPage(page);
    const descending = ordering.startsWith('-');
    const field = (descending ? ordering.slice(1) : ordering) as AccountOrdering;
    if (!(ACCOUNT_ORDERINGS as readonly string[]).includes(field)) throw new OrderingInvalidError(ACCOUNT_ORDERINGS);
    const { user_email, ...rest } = filters;
    const query: AccountListQuery = { ...rest };
    if (user_email !== undefined) {
      query.users = await this.users.findIdsByEmail(channelId, user_email);
      if (query.users.length === 0) return { count: 0, results: [], next: null, previous: null };
    }
    // Balance and modified_date change with every money operation: a cursor at a row would move with it (skipping
    // or repeating rows), so those two orderings page by number only, and their links carry page numbers.
    const moving = MOVING_ORDERINGS.includes(field);
    const request = moving ? { offset: page.offset, limit: page.limit } : page;
    const [{ rows, next, previous }, count] = await Promise.all([
      this.lists.accountPage(channelId, query, { field, descending }, request),
      this.lists.accountCount(channelId, query),
    ]);
    const results = await this.views(channelId, rows);
    return moving ? { count, results } : { count, results, next, previous };
  }

  /** Maps rows to views: emails from the identity port, system balances from their striped totals. */
  async views(channelId: number, accounts: LoyaltyAccount[], m?: EntityManager): Promise<AccountView[]> {
    const emails = new UserEmails(this.users, channelId);
    const systemIds = accounts.filter((a) => !keepsRunningBalance(a.kind)).map((a) => a.id);
    const sums = await this.repository.systemBalances(m ?? this.repository.outside, systemIds);
    return Promise.all(
      accounts.map(async (a) => ({
        pk: a.id,
        number: a.number,
        kind: a.kind,
        user: a.userId,
        user_email: await emails.get(a.userId),
        currency: a.currency,
        balance_minor: keepsRunningBalance(a.kind) ? a.balance : (sums.get(a.id) ?? 0n),
        debit_allowed: a.debitAllowed,
        created_date: a.createdDate,
        modified_date: a.modifiedDate,
      })),
    );
  }

  /** The owner from its id and/or e-mail; they must agree and the user must exist in the channel. */
  private async resolveUser(channelId: number, userId: number | null, email: string | null): Promise<number> {
    if (userId !== null) {
      const found = await this.users.findById(channelId, userId);
      if (!found) throw new OwnerNotFoundError();
      if (email !== null && found.email.toLowerCase() !== email.toLowerCase()) throw new OwnerEmailMismatchError();
      return userId;
    }
    if (email === null) throw new OwnerRequiredError();
    const ids = await this.users.findIdsByEmail(channelId, email);
    if (ids.length === 0) throw new OwnerEmailNotFoundError();
    if (ids.length > 1) throw new OwnerEmailAmbiguousError();
    return ids[0];
  }
}
