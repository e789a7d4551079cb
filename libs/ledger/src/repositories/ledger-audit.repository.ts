import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { minorFromDecimalText } from '@app/common';
import { ORDER_EARNING_REASON } from '../entities/loyalty-transaction.entity';

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
 * The ledger's invariant audit, in SQL over the whole ledger or one channel: what `LedgerQueryService.checkInvariants`
 * answers, and what every ledger test checks after it runs.
 */
@Injectable()
export class LedgerAuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Audits a channel (or every channel): each channel+currency sums to zero, each running balance equals the sum
   * of its postings and its last balance-after, and no account without debit_allowed is negative. Empty = healthy.
   */
  async violations(channelId?: number): Promise<InvariantViolation[]> {
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
}
