import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AMOUNT_MAX_MINOR, Clock, ValidationFailedError } from '@app/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ACCOUNT_NUMBER_MAX_LENGTH,
  type AccountKind,
  keepsRunningBalance,
  LoyaltyAccount,
} from '../entities/loyalty-account.entity';
import { REASON_MAX_LENGTH } from '../entities/loyalty-transaction.entity';
import { type AmountInput, optionalText, requireBalance, requireCurrency, requireId } from '../amounts';
import { AccountNotFoundError } from '../errors';
import { LEDGER_USER_DIRECTORY, type LedgerUserDirectory } from '../ports';
import { LedgerFunctions, LedgerRefusal } from '../repositories/ledger-functions';
import { LedgerRepository } from '../repositories/ledger.repository';
import { violatedUniqueIndex } from '@app/database';
import { LedgerEngine, type LedgerContext } from './ledger-engine';
import { checkPage } from './pagination';
import { ADJUST_FIELDS, refusalError } from './refusals';
import { UserEmails } from './user-emails';
import type { AccountView, PageRequest, PageResult } from './views';

export interface AccountCreateInput {
  /** Optional: a UUID hex is generated. Unique within the channel and currency. */
  number?: string | null;
  user?: number | string | null;
  user_email?: string | null;
  currency: string;
  /** Opening balance, moved from the BANK account. */
  balance?: AmountInput | null;
  debit_allowed?: boolean | null;
  /** 'customer' (default) or 'invoice'. */
  kind?: 'customer' | 'invoice';
}

export interface AccountUpdateInput {
  /** The wanted balance: the difference moves from (or to) BANK as an adjustment. */
  balance?: AmountInput | null;
  debit_allowed?: boolean | null;
  reason?: string | null;
  /** Read-only after creation: accepted only when unchanged. */
  number?: string | null;
  user?: number | string | null;
  currency?: string | null;
}

export interface AccountListFilters {
  user?: number;
  user_email?: string;
  currency?: string;
  number?: string;
  kind?: AccountKind;
}

/** `ordering` values of the account list; a leading '-' sorts descending. */
export const ACCOUNT_ORDERINGS = ['pk', 'created_date', 'modified_date', 'balance', 'number'] as const;
const ORDER_COLUMNS: Record<(typeof ACCOUNT_ORDERINGS)[number], string> = {
  pk: 'a.id',
  created_date: 'a.created_date',
  modified_date: 'a.modified_date',
  balance: 'a.balance',
  number: 'a.number',
};

function requireBoolean(field: string, input: unknown): boolean {
  if (typeof input !== 'boolean') throw ValidationFailedError.forField(field, 'validation.not_boolean');
  return input;
}

@Injectable()
export class LoyaltyAccountService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engine: LedgerEngine,
    private readonly repository: LedgerRepository,
    private readonly clock: Clock,
    @Inject(LEDGER_USER_DIRECTORY) private readonly users: LedgerUserDirectory,
    private readonly functions: LedgerFunctions,
  ) {}

  /** Opens an account; a non-zero balance is an 'opening' transaction from BANK, never a bare write. */
  async create(channelId: number, input: AccountCreateInput, ctx: LedgerContext = {}): Promise<AccountView> {
    const currency = requireCurrency('currency', input.currency);
    // An account in a currency the channel does not sell could never be spent, and its BANK account never removed.
    if (!(await this.users.currenciesOf(channelId)).includes(currency)) {
      throw ValidationFailedError.forField('currency', 'ledger.currency_not_sold', { currency });
    }
    const number = optionalText('number', input.number, ACCOUNT_NUMBER_MAX_LENGTH) ?? randomUUID().replace(/-/g, '');
    if (this.engine.isSystemNumber(number)) throw ValidationFailedError.forField('number', 'ledger.number_taken');
    const balance =
      input.balance === undefined || input.balance === null ? 0n : requireBalance('balance', input.balance);
    const debitAllowed =
      input.debit_allowed === undefined || input.debit_allowed === null
        ? false
        : requireBoolean('debit_allowed', input.debit_allowed);
    if (balance < 0n && !debitAllowed) {
      throw ValidationFailedError.forField('balance', 'ledger.negative_balance_not_allowed');
    }
    const kind = input.kind ?? 'customer';
    if (kind !== 'customer' && kind !== 'invoice') throw ValidationFailedError.forField('kind', 'validation.invalid');
    const userId = await this.resolveUser(channelId, input.user, input.user_email);
    const bank = balance === 0n ? null : await this.engine.systemAccount(channelId, 'bank', currency);

    const request = { currency, number: input.number ?? null, balance, debit_allowed: debitAllowed, kind, userId };
    try {
      const { result } = await this.engine.run(channelId, 'account.create', request, ctx.idempotencyKey, async (m) => {
        if (kind === 'customer' && (await this.repository.findCustomerAccount(m, channelId, userId, currency))) {
          throw ValidationFailedError.forField('user', 'ledger.customer_account_exists');
        }
        if (await this.repository.findAccountByNumber(m, channelId, currency, number)) {
          throw ValidationFailedError.forField('number', 'ledger.number_taken');
        }
        const now = this.clock.now();
        const account = await this.repository.insertAccount(m, {
          channel_id: channelId,
          kind,
          number,
          user_id: userId,
          currency,
          balance: 0n,
          debit_allowed: debitAllowed,
          created_date: now,
          modified_date: now,
        });
        if (!bank) return { account_id: account.id, transaction_uuid: null };
        const transaction = await this.engine.post(m, {
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
      if (index === 'uq_loyalty_account_customer') {
        throw ValidationFailedError.forField('user', 'ledger.customer_account_exists');
      }
      if (index === 'uq_loyalty_account_number') throw ValidationFailedError.forField('number', 'ledger.number_taken');
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
    input: AccountUpdateInput,
    ctx: LedgerContext = {},
  ): Promise<AccountView> {
    const target =
      input.balance === undefined || input.balance === null ? null : requireBalance('balance', input.balance);
    const debitAllowed =
      input.debit_allowed === undefined || input.debit_allowed === null
        ? null
        : requireBoolean('debit_allowed', input.debit_allowed);
    const reason = optionalText('reason', input.reason, REASON_MAX_LENGTH);
    const current = await this.repository.findAccount(this.dataSource.manager, channelId, accountId);
    if (!current) throw new AccountNotFoundError();
    this.refuseReadOnlyChanges(current, input);
    if (!keepsRunningBalance(current.kind) && (target !== null || debitAllowed !== null)) {
      throw ValidationFailedError.forField(target !== null ? 'balance' : 'debit_allowed', 'ledger.read_only');
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
      await call().catch(async (error: unknown) => {
        // The first balance change in a currency: BANK is created in a short transaction of its own first.
        if (!(error instanceof LedgerRefusal && error.code === 'system_account_missing')) throw error;
        await this.engine.systemAccount(channelId, 'bank', current.currency);
        return call();
      });
    } catch (error) {
      if (error instanceof LedgerRefusal && error.code === 'account_not_found') throw new AccountNotFoundError();
      throw error instanceof LedgerRefusal ? refusalError(error, ADJUST_FIELDS) : error;
    }
    return this.get(channelId, accountId);
  }

  /** Refuses an unknown account with a 404 without building its view (one indexed read). */
  async assertExists(channelId: number, accountId: number): Promise<void> {
    const account = await this.repository.findAccount(this.dataSource.manager, channelId, accountId);
    if (!account) throw new AccountNotFoundError();
  }

  async get(channelId: number, accountId: number): Promise<AccountView> {
    const account = await this.repository.findAccount(this.dataSource.manager, channelId, accountId);
    if (!account) throw new AccountNotFoundError();
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
    const field = (descending ? ordering.slice(1) : ordering) as (typeof ACCOUNT_ORDERINGS)[number];
    if (!(ACCOUNT_ORDERINGS as readonly string[]).includes(field)) {
      throw ValidationFailedError.forField('ordering', 'ledger.ordering_invalid', {
        values: ACCOUNT_ORDERINGS.join(', '),
      });
    }
    const query = this.dataSource
      .getRepository(LoyaltyAccount)
      .createQueryBuilder('a')
      .where('a.channel_id = :channelId', { channelId });
    if (filters.user !== undefined) query.andWhere('a.user_id = :user', { user: requireId('user', filters.user) });
    if (filters.user_email !== undefined) {
      const ids = await this.users.findIdsByEmail(channelId, filters.user_email);
      if (ids.length === 0) return { count: 0, results: [] };
      query.andWhere('a.user_id IN (:...ids)', { ids });
    }
    if (filters.currency !== undefined) {
      query.andWhere('a.currency = :currency', { currency: requireCurrency('currency', filters.currency) });
    }
    if (filters.number !== undefined) query.andWhere('a.number = :number', { number: filters.number });
    if (filters.kind !== undefined) query.andWhere('a.kind = :kind', { kind: filters.kind });
    query
      .orderBy(ORDER_COLUMNS[field], descending ? 'DESC' : 'ASC')
      .addOrderBy('a.id', descending ? 'DESC' : 'ASC')
      .skip(page.offset)
      .take(page.limit);
    const [rows, count] = await query.getManyAndCount();
    return { count, results: await this.views(channelId, rows) };
  }

  /** Maps rows to views: emails from the identity port, system balances from their postings. */
  async views(channelId: number, accounts: LoyaltyAccount[], m?: EntityManager): Promise<AccountView[]> {
    const emails = new UserEmails(this.users, channelId);
    const systemIds = accounts.filter((a) => !keepsRunningBalance(a.kind)).map((a) => a.id);
    const sums = await this.repository.sumPostings(m ?? this.dataSource.manager, systemIds);
    return Promise.all(
      accounts.map(async (a) => ({
        pk: a.id,
        number: a.number,
        kind: a.kind,
        user: a.user_id,
        user_email: await emails.get(a.user_id),
        currency: a.currency,
        balance_minor: keepsRunningBalance(a.kind) ? a.balance : (sums.get(a.id) ?? 0n),
        debit_allowed: a.debit_allowed,
        created_date: a.created_date,
        modified_date: a.modified_date,
      })),
    );
  }

  private refuseReadOnlyChanges(account: LoyaltyAccount, input: AccountUpdateInput): void {
    if (input.number !== undefined && input.number !== null && input.number !== account.number) {
      throw ValidationFailedError.forField('number', 'ledger.read_only');
    }
    if (input.user !== undefined && input.user !== null && requireId('user', input.user) !== account.user_id) {
      throw ValidationFailedError.forField('user', 'ledger.read_only');
    }
    if (
      input.currency !== undefined &&
      input.currency !== null &&
      requireCurrency('currency', input.currency) !== account.currency
    ) {
      throw ValidationFailedError.forField('currency', 'ledger.read_only');
    }
  }

  /** The owner from `user` and/or `user_email`; they must agree and the user must exist in the channel. */
  private async resolveUser(channelId: number, user: unknown, email: unknown): Promise<number> {
    const emailText = optionalText('user_email', email, 254);
    if (user !== undefined && user !== null) {
      const userId = requireId('user', user);
      const found = await this.users.findById(channelId, userId);
      if (!found) throw ValidationFailedError.forField('user', 'ledger.user_not_found');
      if (emailText !== null && found.email.toLowerCase() !== emailText.toLowerCase()) {
        throw ValidationFailedError.forField('user_email', 'ledger.user_email_mismatch');
      }
      return userId;
    }
    if (emailText === null) throw ValidationFailedError.forField('user', 'validation.required');
    const ids = await this.users.findIdsByEmail(channelId, emailText);
    if (ids.length === 0) throw ValidationFailedError.forField('user_email', 'ledger.user_email_not_found');
    if (ids.length > 1) throw ValidationFailedError.forField('user_email', 'ledger.user_email_ambiguous');
    return ids[0];
  }
}
