import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type MinorUnits, minorFromDecimalText } from '@app/common';
import { DataSource } from 'typeorm';
import { type ReadPart, readTogether, sqlRows } from '@app/database';
import { ORDER_EARNING_REASON } from '../entities/loyalty-transaction.entity';
import { TransactionNotFoundError } from '../errors';
import { LEDGER_USER_DIRECTORY, type LedgerUserDirectory } from '../ports';
import { checkPage } from './pagination';
import {
  TRANSFER_COLUMNS,
  transferCount,
  type TransferListFilters,
  transferPage,
  type TransferRow,
  transferView,
} from '../repositories/transfer-list';

import {
  transactionCount,
  type TransactionListFilters,
  transactionPage,
  type TransactionRow,
} from '../repositories/transaction-list';

export type { TransactionListFilters, TransferListFilters };
import { UserEmails } from './user-emails';
import type { PageRequest, PageResult, TransactionView, TransferView } from './views';

/** A broken invariant found by `checkInvariants`: what and where. */
export interface InvariantViolation {
  invariant:
    | 'conservation'
    | 'balance_equals_postings'
    | 'non_negative'
    | 'balance_after_chain'
    | 'system_balance_equals_postings'
    | 'kept_count_equals_rows'
    | 'earning_reversal_within_earning';
  detail: string;
}

/**
 * The sum of a user's customer and invoice accounts in one currency (0 when there are none), as one part of a
 * statement that reads several things at once (`readTogether`): the checkout pages read it with the basket.
 */
export function userBalancePart(channelId: number, userId: number, currency: string): ReadPart<MinorUnits> {
  return {
    sql: (arg) =>
      `SELECT coalesce(sum("balance"), 0)::text FROM "loyalty_account"
        WHERE "channel_id" = ${arg(channelId)}::integer AND "user_id" = ${arg(userId)}::integer
          AND "currency" = ${arg(currency)}::text AND "kind" IN ('customer', 'invoice')`,
    map: (total) => minorFromDecimalText(typeof total === 'string' ? total : '0'),
  };
}

/** Read side of the ledger: the lists and lookups the APIs need, and an invariant audit. */
@Injectable()
export class LedgerQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
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
      transferPage(this.dataSource, channelId, filters, page),
      transferCount(this.dataSource, channelId, filters),
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
    return (await readTogether(this.dataSource, { balance: userBalancePart(channelId, userId, currency) })).balance;
  }

  async getTransaction(channelId: number, uuid: string): Promise<TransactionView> {
    const { rows } = await transactionPage(this.dataSource, channelId, { uuid }, { offset: 0, limit: 1 });
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
      transactionPage(this.dataSource, channelId, filters, page),
      transactionCount(this.dataSource, channelId, filters),
    ]);
    return { count, results: await this.transactionViews(channelId, rows), next, previous };
  }

  /**
   * Audits a channel (or every channel): each channel+currency sums to zero, each running balance equals the sum
   * of its postings and its last balance-after, and no account without debit_allowed is negative. Empty = healthy.
   */
  async checkInvariants(channelId?: number): Promise<InvariantViolation[]> {
    const violations: InvariantViolation[] = [];
    const scope = channelId === undefined ? '' : 'AND a."channel_id" = $1';
    const params = channelId === undefined ? [] : [channelId];
    const totals: { channel_id: number; currency: string; total: string }[] = await this.dataSource.query(
      `SELECT a."channel_id", a."currency",
              sum(CASE WHEN a."kind" IN ('customer', 'invoice') THEN a."balance"
                       ELSE (SELECT coalesce(sum(t."amount"), 0) FROM "loyalty_transfer" t WHERE t."account_id" = a."id")
                  END)::text AS "total"
         FROM "loyalty_account" a WHERE true ${scope} GROUP BY a."channel_id", a."currency"`,
      params,
    );
    for (const row of totals) {
      if (minorFromDecimalText(row.total) !== 0n) {
        violations.push({
          invariant: 'conservation',
          detail: `channel ${row.channel_id} ${row.currency} sums to ${row.total}`,
        });
      }
    }
    const accounts: { id: number; balance: string; posted: string; last_after: string | null; negative: boolean }[] =
      await this.dataSource.query(
        `SELECT a."id", a."balance"::text AS "balance",
                (SELECT coalesce(sum(t."amount"), 0) FROM "loyalty_transfer" t WHERE t."account_id" = a."id")::text AS "posted",
                (SELECT t."balance_after"::text FROM "loyalty_transfer" t WHERE t."account_id" = a."id"
                  ORDER BY t."id" DESC LIMIT 1) AS "last_after",
                (NOT a."debit_allowed" AND a."balance" < 0) AS "negative"
           FROM "loyalty_account" a WHERE a."kind" IN ('customer', 'invoice') ${scope}`,
        params,
      );
    for (const a of accounts) {
      const balance = minorFromDecimalText(a.balance);
      if (balance !== minorFromDecimalText(a.posted)) {
        violations.push({
          invariant: 'balance_equals_postings',
          detail: `account ${a.id}: ${a.balance} vs ${a.posted}`,
        });
      }
      if (a.last_after !== null && minorFromDecimalText(a.last_after) !== balance) {
        violations.push({ invariant: 'balance_after_chain', detail: `account ${a.id}: last ${a.last_after}` });
      }
      if (a.negative) violations.push({ invariant: 'non_negative', detail: `account ${a.id}: ${a.balance}` });
    }
    // A system account's striped totals (what its balance reads) equal the sum of its postings.
    const systems: { id: number; striped: string; posted: string }[] = await this.dataSource.query(
      `SELECT a."id",
              (SELECT coalesce(sum(s."balance"), 0) FROM "loyalty_system_balance" s WHERE s."account_id" = a."id")::text AS "striped",
              (SELECT coalesce(sum(t."amount"), 0) FROM "loyalty_transfer" t WHERE t."account_id" = a."id")::text AS "posted"
         FROM "loyalty_account" a WHERE a."kind" IN ('sale', 'bank', 'refund') ${scope}`,
      params,
    );
    for (const a of systems) {
      if (minorFromDecimalText(a.striped) !== minorFromDecimalText(a.posted)) {
        violations.push({
          invariant: 'system_balance_equals_postings',
          detail: `system account ${a.id}: ${a.striped} kept vs ${a.posted} posted`,
        });
      }
    }
    // The kept counts of the lists equal the rows they count (every key a posting or account gives; no other key).
    const counts: { channel_id: number; subject: string; key: string; kept: string | null; actual: string | null }[] =
      await this.dataSource.query(
        `WITH actual AS (
           SELECT p."channel_id", 'transfer' AS "subject", x."key", count(*) AS "n"
             FROM "loyalty_transfer" p JOIN "loyalty_account" a ON a."id" = p."account_id"
            CROSS JOIN LATERAL (VALUES ('all'), ('c:' || p."currency"), ('a:' || p."account_id"),
                                       ('u:' || a."user_id"), ('u:' || a."user_id" || ':' || p."currency")) x("key")
            WHERE x."key" IS NOT NULL ${scope.replace('a."channel_id"', 'p."channel_id"')}
            GROUP BY p."channel_id", x."key"
           UNION ALL
           SELECT a."channel_id", 'account', x."key", count(*)
             FROM "loyalty_account" a
            CROSS JOIN LATERAL (VALUES ('all'), ('c:' || a."currency"), ('k:' || a."kind")) x("key")
            WHERE true ${scope}
            GROUP BY a."channel_id", x."key"
           UNION ALL
           SELECT t."channel_id", 'transaction', x."key", count(*)
             FROM "loyalty_transaction" t
            CROSS JOIN LATERAL (VALUES ('all'), ('k:' || t."kind"), ('u:' || t."user_id"),
                                       ('u:' || t."user_id" || ':k:' || t."kind")) x("key")
            WHERE x."key" IS NOT NULL ${scope.replace('a."channel_id"', 't."channel_id"')}
            GROUP BY t."channel_id", x."key"),
         kept AS (
           SELECT c."channel_id", c."subject", c."key", sum(c."n") AS "n" FROM "loyalty_count" c
            WHERE true ${scope.replace('a."channel_id"', 'c."channel_id"')}
            GROUP BY c."channel_id", c."subject", c."key")
         SELECT coalesce(k."channel_id", r."channel_id") AS "channel_id", coalesce(k."subject", r."subject") AS "subject",
                coalesce(k."key", r."key") AS "key", k."n"::text AS "kept", r."n"::text AS "actual"
           FROM kept k FULL JOIN actual r
             ON r."channel_id" = k."channel_id" AND r."subject" = k."subject" AND r."key" = k."key"
          WHERE k."n" IS DISTINCT FROM r."n"`,
        params,
      );
    for (const c of counts) {
      violations.push({
        invariant: 'kept_count_equals_rows',
        detail: `channel ${c.channel_id} ${c.subject} ${c.key}: ${c.kept ?? 'none'} kept vs ${c.actual ?? 'none'} rows`,
      });
    }
    // An order's earning reversals take back from its earning (same order, customer -> BANK), and together with the
    // shortfalls its transactions recorded they never come to more than it earned.
    const xScope = channelId === undefined ? '' : 'AND x."channel_id" = $1';
    const reversals: { channel_id: number; order_number: string; earned: string | null; settled: string }[] =
      await this.dataSource.query(
        `SELECT x."channel_id", x."order_number", e."amount"::text AS "earned",
                (SELECT coalesce(sum(CASE WHEN s."kind" = 'earning_reversal' THEN s."amount" ELSE 0 END), 0)
                        + coalesce(sum(s."earning_shortfall"), 0)
                   FROM "loyalty_transaction" s
                  WHERE s."channel_id" = x."channel_id" AND s."order_number" = x."order_number")::text AS "settled"
           FROM (SELECT DISTINCT "channel_id", "order_number" FROM "loyalty_transaction"
                  WHERE ("kind" = 'earning_reversal' OR "earning_shortfall" > 0)) x
           LEFT JOIN "loyalty_transaction" e ON e."channel_id" = x."channel_id" AND e."order_number" = x."order_number"
                 AND e."kind" = 'transfer' AND e."reason" = $${params.length + 1}
          WHERE true ${xScope}`,
        [...params, ORDER_EARNING_REASON],
      );
    for (const r of reversals) {
      if (r.earned === null || minorFromDecimalText(r.settled) > minorFromDecimalText(r.earned)) {
        violations.push({
          invariant: 'earning_reversal_within_earning',
          detail: `channel ${r.channel_id} order ${r.order_number}: ${r.settled} reversed or short of ${r.earned ?? 'no earning'}`,
        });
      }
    }
    const strays: { id: number }[] = await this.dataSource.query(
      `SELECT x."id" FROM "loyalty_transaction" x
         JOIN "loyalty_transaction" e ON e."id" = x."refunded_transaction_id"
        WHERE x."kind" = 'earning_reversal' ${xScope}
          AND NOT (e."kind" = 'transfer' AND e."reason" = $${params.length + 1}
                   AND e."channel_id" = x."channel_id" AND e."order_number" = x."order_number")`,
      [...params, ORDER_EARNING_REASON],
    );
    for (const x of strays) {
      violations.push({
        invariant: 'earning_reversal_within_earning',
        detail: `reversal ${x.id} of no earning of its order`,
      });
    }
    // A reversal runs to BANK (one posting) from accounts of the customer the earning credited (one or two: the
    // customer account, and the invoice account a refund was paid into).
    const misrouted: { id: number }[] = await this.dataSource.query(
      `SELECT x."id" FROM "loyalty_transaction" x
        WHERE x."kind" = 'earning_reversal' ${xScope}
          AND NOT (
            (SELECT count(*) FROM "loyalty_transfer" p JOIN "loyalty_account" a ON a."id" = p."account_id"
              WHERE p."transaction_id" = x."id" AND p."amount" > 0 AND a."kind" = 'bank') = 1
            AND NOT EXISTS (SELECT 1 FROM "loyalty_transfer" p JOIN "loyalty_account" a ON a."id" = p."account_id"
                             WHERE p."transaction_id" = x."id" AND p."amount" > 0 AND a."kind" <> 'bank')
            AND NOT EXISTS (SELECT 1 FROM "loyalty_transfer" p
                              JOIN "loyalty_account" a ON a."id" = p."account_id"
                             WHERE p."transaction_id" = x."id" AND p."amount" < 0
                               AND NOT (a."kind" IN ('customer', 'invoice') AND a."user_id" = (
                                 SELECT earner."user_id" FROM "loyalty_transfer" ep
                                   JOIN "loyalty_account" earner ON earner."id" = ep."account_id"
                                  WHERE ep."transaction_id" = x."refunded_transaction_id" AND ep."amount" > 0
                                  LIMIT 1))))`,
      params,
    );
    for (const x of misrouted) {
      violations.push({
        invariant: 'earning_reversal_within_earning',
        detail: `reversal ${x.id} does not run from the earner's account to BANK`,
      });
    }
    return violations;
  }

  private async transactionViews(channelId: number, transactions: TransactionRow[]): Promise<TransactionView[]> {
    if (transactions.length === 0) return [];
    const ids = transactions.map((x) => x.id);
    const transfers = await sqlRows<TransferRow & { transaction_id: number }>(
      this.dataSource.manager,
      `SELECT ${TRANSFER_COLUMNS}, t."transaction_id"
         FROM "loyalty_transfer" t
         JOIN "loyalty_account" a ON a."id" = t."account_id"
         JOIN "loyalty_transaction" x ON x."id" = t."transaction_id"
        WHERE t."transaction_id" = ANY($1::bigint[]) AND t."channel_id" = $2
        ORDER BY t."id"`,
      [ids, channelId],
    );
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
