import type { MigrationInterface, QueryRunner } from 'typeorm';
import { editInstalledFunction } from '../function-edits';

/**
 * An earning reversal also takes from the refund's own destination when that is the owner's invoice account
 * (docs/ledger.md, "Earning reversal"). Before, a cross-refund or refund paid into the owner's invoice account
 * recorded a shortfall whenever the customer account no longer held the earning, although the refund had just put
 * spendable money (checkout spends customer and invoice accounts alike) into the same customer's other account: the
 * customer kept up to the whole earning. Now the reversal takes what the customer account holds first, then from
 * the invoice account what it holds after the refund; only what neither holds is a shortfall. A reversal then has
 * two or three postings (customer, invoice, BANK). Both accounts are locked already, in id order.
 *
 * The installed `ledger_refund` is edited in place (each replaced passage must be found, or the migration fails).
 */
export class LedgerReversalFromInvoice1765140000000 implements MigrationInterface {
  name = 'LedgerReversalFromInvoice1765140000000';

  async up(q: QueryRunner): Promise<void> {
    await editInstalledFunction(q, 'ledger_refund', EDITS);
  }

  async down(q: QueryRunner): Promise<void> {
    await editInstalledFunction(
      q,
      'ledger_refund',
      [...EDITS].reverse().map(([before, after]) => [after, before] as const),
    );
  }
}

const EDITS: [string, string][] = [
  [`        take numeric := 0;\n`, `        take numeric := 0;\n        from_destination numeric := 0;\n`],
  [
    `          take := least(due, greatest(holds, 0));
        END IF;`,
    `          take := least(due, greatest(holds, 0));
          -- Paid into the owner's invoice account: what the customer account cannot cover comes from there.
          IF customer_id <> destination."id" THEN
            from_destination := least(due - take, greatest(destination_after, 0));
          END IF;
        END IF;`,
  ],
  [
    `                p_actor, p_key, p_payment_id, due - take, p_now)`,
    `                p_actor, p_key, p_payment_id, due - take - from_destination, p_now)`,
  ],
  [
    `        IF take > 0 THEN
          customer_after := holds - take;
          UPDATE "loyalty_account" SET "balance" = customer_after, "modified_date" = p_now WHERE "id" = customer_id;`,
    `        IF take + from_destination > 0 THEN
          customer_after := holds - take;
          IF take > 0 THEN
            UPDATE "loyalty_account" SET "balance" = customer_after, "modified_date" = p_now WHERE "id" = customer_id;
          END IF;
          IF from_destination > 0 THEN
            UPDATE "loyalty_account" SET "balance" = destination_after - from_destination, "modified_date" = p_now
             WHERE "id" = destination."id";
          END IF;`,
  ],
  [
    `          VALUES (p_reversal_uuid, p_channel, 'earning_reversal', p_currency, take, p_order_id, p_order_number,`,
    `          VALUES (p_reversal_uuid, p_channel, 'earning_reversal', p_currency, take + from_destination, p_order_id,
                  p_order_number,`,
  ],
  [
    `          VALUES (reversal_id, customer_id, p_channel, p_currency, -take, customer_after, p_now),
                 (reversal_id, bank_id, p_channel, p_currency, take, NULL, p_now);`,
    `          SELECT reversal_id, r.account, p_channel, p_currency, r.amount, r.after, p_now
            FROM (VALUES (1, customer_id, -take, customer_after),
                         (2, destination."id", -from_destination, destination_after - from_destination),
                         (3, bank_id, take + from_destination, NULL)) AS r(n, account, amount, after)
           WHERE r.amount <> 0
           ORDER BY r.n;`,
  ],
];
