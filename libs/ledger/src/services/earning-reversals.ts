import { Injectable } from '@nestjs/common';
import type { MinorUnits } from '@app/common';
import type { EntityManager } from 'typeorm';
import type { LoyaltyAccount } from '../entities/loyalty-account.entity';
import type { LoyaltyTransaction } from '../entities/loyalty-transaction.entity';
import { LedgerInvariantError } from '../errors';
import type { LedgerOrder } from '../ports';
import { LedgerRepository } from '../repositories/ledger.repository';
import { LedgerEngine, type TransactionSpec } from './ledger-engine';

/** An earning reversal made due by a refund: how much, from which account to which, of which earning. */
export interface ReversalDue {
  /** The earning it takes back from; null while that earning is being posted (it is then the transaction itself). */
  earningId: number | null;
  due: MinorUnits;
  customerId: number;
  bankId: number;
}

/** floor(earned × refunded / total): the part of an earning that refunds of `refunded` out of `total` take back. */
export function earningShare(earned: MinorUnits, refunded: MinorUnits, total: MinorUnits): MinorUnits {
  if (total <= 0n || refunded <= 0n) return 0n;
  if (refunded >= total) return earned;
  return (earned * refunded) / total;
}

/**
 * Store credit an order earned, taken back in proportion when the order is refunded (docs/ledger.md, "Earning
 * reversal"), for an earning credited after refunds of its order: posting the reversal with the earning in one
 * transaction. Refunds and cross-refunds take it back inside `ledger_refund` (migration 1765030000000), which computes
 * the same share as `earningShare`.
 */
@Injectable()
export class EarningReversals {
  constructor(
    private readonly engine: LedgerEngine,
    private readonly repository: LedgerRepository,
  ) {}

  /**
   * Posts `spec` (a refund, cross-refund or earning of `order`) and then, in the same database transaction, the
   * earning reversal it made due: from the customer account the earning credited back to the BANK account it came
   * from. It takes what the account holds once `spec` is posted (a refund into that account covers it), never more
   * and never below zero, not even for a debit_allowed account; what it cannot take is `spec`'s earning_shortfall.
   * `locked` holds the customer account as locked by the caller, in the locking order, with the refund's destination.
   */
  async postWith(
    m: EntityManager,
    order: LedgerOrder,
    spec: TransactionSpec,
    reversal: ReversalDue | null,
    locked: ReadonlyMap<number, LoyaltyAccount>,
    actorId: number | null,
  ): Promise<LoyaltyTransaction> {
    if (!reversal) return this.engine.post(m, spec);
    const customer = locked.get(reversal.customerId);
    if (!customer) throw new LedgerInvariantError('the earning account was not locked');
    const credited = spec.postings.find((p) => p.account.id === customer.id)?.amount ?? 0n;
    const holds = customer.balance + credited;
    const available = holds > 0n ? holds : 0n;
    const take = reversal.due < available ? reversal.due : available;
    const transaction = await this.engine.post(m, { ...spec, earning_shortfall: reversal.due - take });
    if (take === 0n) return transaction;
    const bank = await this.repository.findAccount(m, spec.channel_id, reversal.bankId);
    if (!bank) throw new LedgerInvariantError('the earning source account is missing');
    await this.engine.post(m, {
      operation: spec.operation,
      channel_id: spec.channel_id,
      kind: 'earning_reversal',
      currency: order.currency,
      postings: [
        { account: customer, amount: -take },
        { account: bank, amount: take },
      ],
      order_id: order.pk,
      order_number: order.number,
      user_id: order.user_id,
      reference: order.number,
      actor_id: actorId,
      refunded_transaction_id: reversal.earningId ?? transaction.id,
    });
    return transaction;
  }
}
