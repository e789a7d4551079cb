import type { MigrationInterface, QueryRunner } from 'typeorm';
import { editInstalledFunction } from '../function-edits';

/**
 * Where a refund is capped: `ledger_refund_cap`, called by `ledger_refund` under the order's lock. A refund may give
 * back at most what its store-credit payment took less that payment's earlier refunds and, when the order is known,
 * at most the order's total less everything refunded or cross-refunded for it; a cross-refund (no payment) at most
 * the latter. `refunded` is what the order has had back so far (the earning reversal's share reads it too). The
 * rule was a passage inside `ledger_refund`; it is now a function of its own, so that it has one name to be found by
 * and can be asked directly (`test/ledger-functions.medium-spec.ts`). `ledger_refund` itself is edited in place.
 */
export class LedgerRefundCap1765170000000 implements MigrationInterface {
  name = 'LedgerRefundCap1765170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION "ledger_refund_cap"(p_kind varchar, p_channel integer, p_order_number varchar,
                                          p_payment_id bigint, p_payment_amount numeric, p_order_total numeric,
                                          OUT refunded numeric, OUT available numeric)
      LANGUAGE plpgsql STABLE
      SET enable_seqscan TO 'off' SET enable_hashjoin TO 'off' SET enable_mergejoin TO 'off'
      AS $function$
      BEGIN
${CAP_RULE}      END
      $function$`);
    await editInstalledFunction(q, 'ledger_refund', [[INLINE_CAPS, CALLED_CAPS]]);
  }

  async down(q: QueryRunner): Promise<void> {
    await editInstalledFunction(q, 'ledger_refund', [[CALLED_CAPS, INLINE_CAPS]]);
    await q.query(`DROP FUNCTION "ledger_refund_cap"(varchar, integer, varchar, bigint, numeric, numeric)`);
  }
}

/** The caps as `ledger_refund` computed them itself (migration 1765030000000), and as `ledger_refund_cap` does. */
const CAP_RULE = `        SELECT coalesce(sum("amount"), 0) INTO refunded FROM "loyalty_transaction"
         WHERE "channel_id" = p_channel AND "order_number" = p_order_number AND "kind" IN ('refund', 'cross_refund');
        IF p_kind = 'refund' THEN
          SELECT p_payment_amount - coalesce(sum("amount"), 0) INTO available FROM "loyalty_transaction"
           WHERE "refunded_transaction_id" = p_payment_id AND "kind" = 'refund';
          IF p_order_total IS NOT NULL THEN
            available := least(available, p_order_total - refunded);
          END IF;
        ELSE
          available := p_order_total - refunded;
        END IF;
`;

const INLINE_CAPS = `        -- The caps: what the payment took less its refunds; the order total less all its refunds and cross-refunds.
${CAP_RULE}`;

const CALLED_CAPS = `        -- The caps (migration 1765170000000): what the payment took less its refunds; the order total less all its
        -- refunds and cross-refunds.
        SELECT c.refunded, c.available INTO refunded, available
          FROM "ledger_refund_cap"(p_kind, p_channel, p_order_number, p_payment_id, p_payment_amount, p_order_total) c;
`;
