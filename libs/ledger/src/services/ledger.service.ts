import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AMOUNT_MAX_MINOR, Clock, type MinorUnits } from '@app/common';
import type { EntityManager } from 'typeorm';
import type { LoyaltyAccount } from '../entities/loyalty-account.entity';
import { ORDER_EARNING_REASON } from '../entities/loyalty-transaction.entity';
import {
  type CrossRefundCommand,
  type OrderEarningCommand,
  type OrderPaymentCommand,
  positiveAmount,
  type RefundCommand,
  type TransferCommand,
} from '../commands';
import {
  AmountExceedsOrderError,
  InvoiceOfOtherUserError,
  type LedgerOperation,
  NotAnOrderPaymentError,
  OrderNotFoundError,
  PaymentNotFoundError,
  SameAccountError,
} from '../errors';
import { LEDGER_ORDER_LOOKUP, type LedgerOrder, type LedgerOrderLookup } from '../ports';
import {
  LedgerFunctions,
  LedgerRefusal,
  type OperationOutcome,
  type RefundCall,
} from '../repositories/ledger-functions';
import { LedgerRepository } from '../repositories/ledger.repository';
import { AccountViewCache } from './account-view-cache';
import { earningShare, EarningReversals, type ReversalDue } from './earning-reversals';
import { LedgerEngine, type LedgerContext, type TransactionSpec } from './ledger-engine';
import { LedgerQueryService } from './ledger-query.service';
import { RefundDestinations } from './refund-destinations';
import { refusalError } from './refusals';
import type { TransactionView } from './views';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The money operations: transfers, refunds, cross-refunds and order payments. Each is one database transaction. */
@Injectable()
export class LedgerService {
  constructor(
    private readonly engine: LedgerEngine,
    private readonly repository: LedgerRepository,
    private readonly queries: LedgerQueryService,
    private readonly reversals: EarningReversals,
    private readonly destinations: RefundDestinations,
    @Inject(LEDGER_ORDER_LOOKUP) private readonly orders: LedgerOrderLookup,
    private readonly functions: LedgerFunctions,
    private readonly clock: Clock,
    private readonly cache: AccountViewCache,
  ) {}

  /** Moves money between two accounts of one channel and currency; the source needs funds unless debit_allowed. */
  async transfer(channelId: number, command: TransferCommand, ctx: LedgerContext = {}): Promise<TransactionView> {
    return this.queries.getTransaction(channelId, await this.transferOnly(channelId, command, ctx));
  }

  /**
   * The transfer alone, answering its transaction's uuid: for callers that answer 204 and need no view. One round
   * trip: the `ledger_transfer` function does the idempotency record, locks, checks and writes (docs/ledger.md).
   */
  async transferOnly(channelId: number, command: TransferCommand, ctx: LedgerContext = {}): Promise<string> {
    const amount = positiveAmount('transfer', command.amount);
    const { sourceId, destinationId } = command;
    if (sourceId === destinationId) throw new SameAccountError(sourceId);
    const key = LedgerEngine.validateKey(ctx.idempotencyKey);
    try {
      const outcome = await this.functions.transfer({
        channelId,
        sourceId,
        destinationId,
        amount,
        actorId: ctx.actorId ?? null,
        key,
        fingerprint: key === null ? null : LedgerEngine.fingerprint('transfer', { amount, sourceId, destinationId }),
        uuid: randomUUID(),
        now: this.clock.now(),
        balanceMax: AMOUNT_MAX_MINOR,
      });
      return outcome.transaction_uuid;
    } catch (error) {
      throw error instanceof LedgerRefusal ? refusalError(error, 'transfer') : error;
    } finally {
      // Also after a failure: one that lost the connection may have committed.
      this.cache.changed({ channelId, accounts: [sourceId, destinationId] });
    }
  }

  /**
   * Gives money back from SALE to the owner of an order paid with store credit. Capped twice: by what that
   * payment took less its earlier refunds, and by the order's total less all its refunds and cross-refunds.
   * The refund, its caps and the earning reversal it makes due are one `ledger_refund` call (docs/ledger.md); the
   * caps themselves are the SQL function `ledger_refund_cap`
   * (`libs/database/src/migrations/1765170000000-LedgerRefundCap.ts`), which `ledger_refund` asks under the order's
   * lock.
   */
  async refund(channelId: number, command: RefundCommand, ctx: LedgerContext = {}): Promise<TransactionView> {
    const amount = positiveAmount('refund', command.amount);
    const uuid = command.paymentUuid.toLowerCase();
    const invoice = command.invoiceNumber;
    this.refuseSystemNumber('refund', invoice);
    const payment = UUID_PATTERN.test(uuid)
      ? await this.repository.findTransactionByUuid(this.repository.outside, channelId, uuid)
      : null;
    if (!payment) throw new PaymentNotFoundError();
    if (payment.kind !== 'order_payment' || payment.userId === null || payment.orderNumber === null) {
      throw new NotAnOrderPaymentError();
    }
    const order = await this.orders.findByNumber(channelId, payment.orderNumber);
    const key = LedgerEngine.validateKey(ctx.idempotencyKey);
    const outcome = await this.refundCall('sale', {
      kind: 'refund',
      channelId,
      paymentId: payment.id,
      paymentAmount: payment.amount,
      orderId: payment.orderId,
      orderNumber: payment.orderNumber,
      ownerId: payment.userId,
      currency: payment.currency,
      orderTotal: order?.total_minor ?? null,
      amount,
      invoice,
      actorId: ctx.actorId ?? null,
      key,
      fingerprint: key === null ? null : LedgerEngine.fingerprint('refund', { uuid, amount, invoice }),
    });
    return this.queries.getTransaction(channelId, outcome.transaction_uuid);
  }

  /**
   * Refunds an order (whatever paid it) from the REFUND account to its owner, capped by the order's total less
   * everything already refunded for it, by refund or cross-refund. One `ledger_refund` call, as `refund`.
   */
  async crossRefund(channelId: number, command: CrossRefundCommand, ctx: LedgerContext = {}): Promise<TransactionView> {
    const amount = positiveAmount('cross_refund', command.amount);
    const { orderNumber, invoiceNumber: invoice } = command;
    this.refuseSystemNumber('cross_refund', invoice);
    const order = await this.orders.findByNumber(channelId, orderNumber);
    if (!order) throw new OrderNotFoundError('cross_refund');
    const key = LedgerEngine.validateKey(ctx.idempotencyKey);
    const outcome = await this.refundCall('refund', {
      kind: 'cross_refund',
      channelId,
      paymentId: null,
      paymentAmount: null,
      orderId: order.pk,
      orderNumber: order.number,
      ownerId: order.user_id,
      currency: order.currency,
      orderTotal: order.total_minor,
      amount,
      invoice,
      actorId: ctx.actorId ?? null,
      key,
      fingerprint: key === null ? null : LedgerEngine.fingerprint('cross_refund', { orderNumber, amount, invoice }),
    });
    return this.queries.getTransaction(channelId, outcome.transaction_uuid);
  }

  /** One `ledger_refund` call, with the system account it pays from created first when the currency has none. */
  private async refundCall(
    system: 'sale' | 'refund',
    call: Omit<RefundCall, 'uuid' | 'reversalUuid' | 'now' | 'balanceMax' | 'newCustomerNumber'>,
  ): Promise<OperationOutcome> {
    const run = () =>
      this.functions.refund({
        ...call,
        uuid: randomUUID(),
        reversalUuid: randomUUID(),
        now: this.clock.now(),
        balanceMax: AMOUNT_MAX_MINOR,
        newCustomerNumber: randomUUID().replace(/-/g, ''),
      });
    try {
      return await this.withSystemAccount(call.channelId, system, call.currency, run);
    } catch (error) {
      throw error instanceof LedgerRefusal ? refusalError(error, call.kind) : error;
    } finally {
      // The owner's accounts: the refund's destination and the earning it takes back.
      this.cache.changed({ channelId: call.channelId, users: [call.ownerId] });
    }
  }

  /** Runs `call`; when it finds no system account of `kind` yet, creates it in a short transaction and runs it again. */
  private async withSystemAccount<T>(
    channelId: number,
    kind: 'sale' | 'refund',
    currency: string,
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof LedgerRefusal && error.code === 'system_account_missing')) throw error;
      await this.engine.systemAccount(channelId, kind, currency);
      return call();
    }
  }

  /** The order an amount is for, checked: a known order number, and a positive amount within its total. */
  private async orderAmount(
    channelId: number,
    operation: LedgerOperation,
    command: OrderPaymentCommand | OrderEarningCommand,
  ): Promise<{ orderNumber: string; amount: MinorUnits; order: LedgerOrder }> {
    const { orderNumber } = command;
    const amount = positiveAmount(operation, command.amount);
    const known = 'order' in command ? command.order : undefined;
    const order = known?.number === orderNumber ? known : await this.orders.findByNumber(channelId, orderNumber);
    if (!order) throw new OrderNotFoundError(operation);
    if (amount > order.total_minor) throw new AmountExceedsOrderError(operation, order.total_minor);
    return { orderNumber, amount, order };
  }

  /** The store-credit payment of an order, when one was made (whatever happened to the request that made it). */
  async orderPayment(channelId: number, orderNumber: string): Promise<{ transaction_uuid: string } | null> {
    const payment = await this.repository.findOrderPayment(this.repository.outside, channelId, orderNumber);
    return payment ? { transaction_uuid: payment.uuid } : null;
  }

  /**
   * Pays (part of) an order from the owner's customer and invoice accounts in the order currency, oldest account
   * first, into SALE. Never overdraws, not even a debit_allowed account. Idempotent by order number: paying an
   * order again with the same amount returns the first payment; with another amount it is a conflict.
   */
  async payOrder(
    channelId: number,
    command: OrderPaymentCommand,
    ctx: LedgerContext = {},
  ): Promise<{ transaction_uuid: string }> {
    const { orderNumber, amount, order } = await this.orderAmount(channelId, 'order_payment', command);
    const key = LedgerEngine.validateKey(ctx.idempotencyKey);
    const call = () =>
      this.functions.payOrder({
        channelId,
        orderId: order.pk,
        orderNumber,
        userId: order.user_id,
        currency: order.currency,
        amount,
        actorId: ctx.actorId ?? order.user_id,
        key,
        fingerprint: key === null ? null : LedgerEngine.fingerprint('order.pay', { orderNumber, amount }),
        uuid: randomUUID(),
        now: this.clock.now(),
      });
    try {
      // The first payment in a currency: SALE is created in a short transaction of its own, then paid into.
      const outcome = await this.withSystemAccount(channelId, 'sale', order.currency, call);
      return { transaction_uuid: outcome.transaction_uuid };
    } catch (error) {
      throw error instanceof LedgerRefusal ? refusalError(error, 'order_payment') : error;
    } finally {
      this.cache.changed({ channelId, users: [order.user_id] });
    }
  }

  /**
   * Credits the store credit an order earned, from the channel's BANK account to the owner's customer account in
   * the order currency (opened if missing), once per order: a repeat answers the first transfer. It is a
   * `transfer` carrying the order number, so the customer sees it in `/account/loyalty/` with its order.
   */
  async creditOrderEarning(channelId: number, command: OrderEarningCommand): Promise<{ transaction_uuid: string }> {
    const { orderNumber, amount, order } = await this.orderAmount(channelId, 'order_earning', command);
    const bank = await this.engine.systemAccount(channelId, 'bank', order.currency);

    const request = { orderNumber, amount };
    const earned = this.engine.run(channelId, 'order.earn', request, null, async (m) => {
      await this.repository.lockOrder(m, channelId, orderNumber);
      const existing = await this.repository.findOrderEarning(m, channelId, orderNumber);
      if (existing) return { transaction_uuid: existing.uuid };
      const { destination, locked } = await this.destinations.lock(
        m,
        channelId,
        order.user_id,
        order.currency,
        null,
        'order_earning',
      );
      const spec = this.toOrderOwner(channelId, order, bank, destination, amount, {
        operation: 'order_earning',
        kind: 'transfer',
        reason: ORDER_EARNING_REASON,
        actor_id: null,
      });
      // Refunds of the order made before its earning (a retried earning): their share goes back at once.
      const refunded = await this.orderRefunded(m, channelId, order.number);
      const share = earningShare(amount, refunded, order.total_minor);
      const reversal: ReversalDue | null =
        share > 0n ? { earningId: null, due: share, customerId: destination.id, bankId: bank.id } : null;
      const transaction = await this.reversals.postWith(m, order, spec, reversal, locked, null);
      return { transaction_uuid: transaction.uuid };
    });
    const { result } = await earned.finally(() => {
      this.cache.changed({ channelId, users: [order.user_id] });
    });
    return { transaction_uuid: result.transaction_uuid! };
  }

  /** A transaction of an order moving `amount` from a system account to the owner's account, referenced by its number. */
  private toOrderOwner(
    channelId: number,
    order: LedgerOrder,
    source: LoyaltyAccount,
    destination: LoyaltyAccount,
    amount: MinorUnits,
    fields: Pick<TransactionSpec, 'operation' | 'kind' | 'reason' | 'actor_id' | 'idempotency_key'>,
  ): TransactionSpec {
    return {
      ...fields,
      channel_id: channelId,
      currency: order.currency,
      postings: [
        { account: source, amount: -amount },
        { account: destination, amount },
      ],
      order_id: order.pk,
      order_number: order.number,
      user_id: order.user_id,
      reference: order.number,
    };
  }

  /** What the order's refunds and cross-refunds gave back in total. */
  private orderRefunded(m: EntityManager, channelId: number, orderNumber: string): Promise<MinorUnits> {
    return this.repository.sumOrderTransactions(m, channelId, orderNumber, ['refund', 'cross_refund']);
  }

  private refuseSystemNumber(operation: LedgerOperation, invoice: string | null): void {
    if (invoice !== null && this.engine.isSystemNumber(invoice)) throw new InvoiceOfOtherUserError(operation);
  }
}
