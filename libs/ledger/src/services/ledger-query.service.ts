import { Inject, Injectable } from '@nestjs/common';
import type { MinorUnits } from '@app/common';
import { TransactionNotFoundError } from '../errors';
import { LEDGER_USER_DIRECTORY, type LedgerUserDirectory } from '../ports';
import { checkPage } from './pagination';
import { type InvariantViolation, LedgerAuditRepository } from '../repositories/ledger-audit.repository';
import { LedgerListRepository } from '../repositories/ledger-list.repository';
import { type TransferListFilters, transferView } from '../repositories/transfer-list';
import type { TransactionListFilters, TransactionRow } from '../repositories/transaction-list';

export type { InvariantViolation } from '../repositories/ledger-audit.repository';
export { userBalancePart } from '../repositories/ledger-list.repository';

export type { TransactionListFilters, TransferListFilters };
import { UserEmails } from './user-emails';
import type { PageRequest, PageResult, TransactionView, TransferView } from './views';

/** Read side of the ledger: the lists and lookups the APIs need, and an invariant audit. */
@Injectable()
export class LedgerQueryService {
  constructor(
    private readonly lists: LedgerListRepository,
    private readonly audit: LedgerAuditRepository,
    @Inject(LEDGER_USER_DIRECTORY) private readonly users: LedgerUserDirectory,
  ) {}

  /** Postings newest first: a page and the list's exact count, neither growing with history (docs/ledger.md). */
  async listTransfers(
    channelId: number,
    filters: TransferListFilters = {},
    page: PageRequest = { offset: 0, limit: 10 },
  ): Promise<PageResult<TransferView>> {
    checkPage(page);
    const [rows, count] = await Promise.all([
      this.lists.transferPage(channelId, filters, page),
      this.lists.transferCount(channelId, filters),
    ]);
    return { count, ...rows };
  }

  /** A customer's own postings in one currency, newest first (the storefront's list). */
  userTransfers(
    channelId: number,
    userId: number,
    currency: string,
    page: PageRequest = { offset: 0, limit: 10 },
  ): Promise<PageResult<TransferView>> {
    return this.listTransfers(channelId, { user: userId, currency }, page);
  }

  /** The sum of a user's customer and invoice accounts in one currency; 0 when there are none. */
  async userBalance(channelId: number, userId: number, currency: string): Promise<MinorUnits> {
    return this.lists.userBalance(channelId, userId, currency);
  }

  async getTransaction(channelId: number, uuid: string): Promise<TransactionView> {
    const { rows } = await this.lists.transactionPage(channelId, { uuid }, { offset: 0, limit: 1 });
    if (rows.length === 0) throw new TransactionNotFoundError();
    const [view] = await this.transactionViews(channelId, rows);
    return view;
  }

  /** Transactions newest first, each with its postings: a page and the exact count, neither growing with history. */
  async listTransactions(
    channelId: number,
    filters: TransactionListFilters = {},
    page: PageRequest = { offset: 0, limit: 10 },
  ): Promise<PageResult<TransactionView>> {
    checkPage(page);
    const [{ rows, next, previous }, count] = await Promise.all([
      this.lists.transactionPage(channelId, filters, page),
      this.lists.transactionCount(channelId, filters),
    ]);
    return { count, results: await this.transactionViews(channelId, rows), next, previous };
  }

  /**
   * Audits a channel (or every channel): each channel+currency sums to zero, each running balance equals the sum
   * of its postings and its last balance-after, and no account without debit_allowed is negative. Empty = healthy.
   */
  checkInvariants(channelId?: number): Promise<InvariantViolation[]> {
    return this.audit.violations(channelId);
  }

  private async transactionViews(channelId: number, transactions: TransactionRow[]): Promise<TransactionView[]> {
    if (transactions.length === 0) return [];
    const ids = transactions.map((x) => x.id);
    const transfers = await this.lists.postingsOf(channelId, ids);
    const emails = new UserEmails(this.users, channelId);
    return Promise.all(
      transactions.map(async (x) => ({
        pk: x.id,
        uuid: x.uuid,
        kind: x.kind,
        currency: x.currency,
        amount_minor: x.amount,
        order: x.order_id,
        order_number: x.order_number,
        user: x.user_id,
        user_email: await emails.get(x.user_id),
        reference: x.reference,
        actor: x.actor_id,
        reason: x.reason,
        refunded_transaction_uuid: x.refunded_transaction_uuid,
        earning_shortfall_minor: x.earning_shortfall,
        created_date: x.created_date,
        transfers: transfers.filter((t) => t.transaction_id === x.id).map(transferView),
      })),
    );
  }
}
