import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AMOUNT_MAX_MINOR, Clock, type MinorUnits, ValidationFailedError } from '@app/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ACCOUNT_NUMBER_MAX_LENGTH, type LoyaltyAccount } from '../entities/loyalty-account.entity';
import { ORDER_EARNING_REASON, REFERENCE_MAX_LENGTH } from '../entities/loyalty-transaction.entity';
import { type AmountInput, optionalText, requireId, requirePositiveAmount, requirePositiveMinor } from '../amounts';
import { AmountExceedsOrderError } from '../errors';
import { LEDGER_ORDER_LOOKUP, type LedgerOrder, type LedgerOrderLookup } from '../ports';
import {
  LedgerFunctions,
  LedgerRefusal,
  type OperationOutcome,
  type RefundCall,
} from '../repositories/ledger-functions';
import { LedgerRepository } from '../repositories/ledger.repository';
import { earningShare, EarningReversals, type ReversalDue } from './earning-reversals';
import { LedgerEngine, type LedgerContext, type TransactionSpec } from './ledger-engine';
import { LedgerQueryService } from './ledger-query.service';
import { RefundDestinations } from './refund-destinations';
import { PAYMENT_FIELDS, REFUND_FIELDS, refusalError, TRANSFER_FIELDS } from './refusals';
import type { TransactionView } from './views';

export interface TransferInput {
  amount: AmountInput;
  source_account: number | string;
  destination_account: number | string;
}

export interface RefundInput {
  transaction_uuid: string;
  amount: AmountInput;
  invoice_number?: string | null;
}

export interface CrossRefundInput {
  order_number: string;
  amount: AmountInput;
  invoice_number?: string | null;
}

export interface OrderPaymentInput {
  order_number: string;
  /** What checkout wants to pay from store credit: positive, at most the order total. */
  amount_minor: MinorUnits;
  /**
   * The order as its caller holds it (checkout, paying an order it placed and still holds in an in-flight state):
   * the ledger then does not look it up again. Its number must be `order_number`.
   */
  order?: LedgerOrder;
}

export interface OrderEarningInput {
  order_number: string;
  /** The store credit earned: positive, at most the order total (checkout computes it from the card-paid amount). */
  amount_minor: MinorUnits;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The money operations: transfers, refunds, cross-refunds and order payments. Each is one database transaction. */
@Injectable()
export class LedgerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engine: LedgerEngine,
    private readonly repository: LedgerRepository,
    private readonly queries: LedgerQueryService,
    private readonly reversals: EarningReversals,
    private readonly destinations: RefundDestinations,
    @Inject(LEDGER_ORDER_LOOKUP) private readonly orders: LedgerOrderLookup,
    private readonly functions: LedgerFunctions,
    private readonly clock: Clock,
  ) {}

  /** Moves money between two accounts of one channel and currency; the source needs funds unless debit_allowed. */
  async transfer(channelId: number, input: TransferInput, ctx: LedgerContext = {}): Promise<TransactionView> {
    return this.queries.getTransaction(channelId, await this.transferOnly(channelId, input, ctx));
  }

  /**
   * The transfer alone, answering its transaction's uuid: for callers that answer 204 and need no view. One round
   * trip: the `ledger_transfer` function does the idempotency record, locks, checks and writes (docs/ledger.md).
   */
  async transferOnly(channelId: number, input: TransferInput, ctx: LedgerContext = {}): Promise<string> {
    const amount = requirePositiveAmount('amount', input.amount);
    const sourceId = requireId('source_account', input.source_account);
    const destinationId = requireId('destination_account', input.destination_account);
    if (sourceId === destinationId) throw ValidationFailedError.forField('destination_account', 'ledger.same_account');
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
      throw error instanceof LedgerRefusal ? refusalError(error, TRANSFER_FIELDS) : error;
    }
  }

  /**
   * Gives money back from SALE to the owner of an order paid with store credit. Capped twice: by what that
   * payment took less its earlier refunds, and by the order's total less all its refunds and cross-refunds.
   * The refund, its caps and the earning reversal it makes due are one `ledger_refund` call (docs/ledger.md).
   */
  async refund(channelId: number, input: RefundInput, ctx: LedgerContext = {}): Promise<TransactionView> {
    const amount = requirePositiveAmount('amount', input.amount);
    const uuid = typeof input.transaction_uuid === 'string' ? input.transaction_uuid.trim().toLowerCase() : '';
    if (!UUID_PATTERN.test(uuid)) throw ValidationFailedError.forField('transaction_uuid', 'validation.invalid');
    const invoice = optionalText('invoice_number', input.invoice_number, ACCOUNT_NUMBER_MAX_LENGTH);
    this.refuseSystemNumber(invoice);
    const payment = await this.repository.findTransactionByUuid(this.dataSource.manager, channelId, uuid);
    if (!payment) throw ValidationFailedError.forField('transaction_uuid', 'ledger.transaction_not_found');
    if (payment.kind !== 'order_payment' || payment.user_id === null || payment.order_number === null) {
      throw ValidationFailedError.forField('transaction_uuid', 'ledger.not_an_order_payment');
    }
    const order = await this.orders.findByNumber(channelId, payment.order_number);
    const key = LedgerEngine.validateKey(ctx.idempotencyKey);
    const outcome = await this.refundCall('sale', {
      kind: 'refund',
      channelId,
      paymentId: payment.id,
      paymentAmount: payment.amount,
      orderId: payment.order_id,
      orderNumber: payment.order_number,
      ownerId: payment.user_id,
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
  async crossRefund(channelId: number, input: CrossRefundInput, ctx: LedgerContext = {}): Promise<TransactionView> {
    const amount = requirePositiveAmount('amount', input.amount);
    const orderNumber = optionalText('order_number', input.order_number, REFERENCE_MAX_LENGTH);
    if (orderNumber === null) throw ValidationFailedError.forField('order_number', 'validation.required');
    const invoice = optionalText('invoice_number', input.invoice_number, ACCOUNT_NUMBER_MAX_LENGTH);
    this.refuseSystemNumber(invoice);
    const order = await this.orders.findByNumber(channelId, orderNumber);
    if (!order) throw ValidationFailedError.forField('order_number', 'ledger.order_not_found');
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
      throw error instanceof LedgerRefusal ? refusalError(error, REFUND_FIELDS) : error;
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
    input: OrderPaymentInput | OrderEarningInput,
  ): Promise<{ orderNumber: string; amount: MinorUnits; order: LedgerOrder }> {
    const orderNumber = optionalText('order_number', input.order_number, REFERENCE_MAX_LENGTH);
    if (orderNumber === null) throw ValidationFailedError.forField('order_number', 'validation.required');
    const amount = requirePositiveMinor('amount', input.amount_minor);
    const known = 'order' in input ? input.order : undefined;
    const order = known?.number === orderNumber ? known : await this.orders.findByNumber(channelId, orderNumber);
    if (!order) throw ValidationFailedError.forField('order_number', 'ledger.order_not_found');
    if (amount > order.total_minor) throw new AmountExceedsOrderError(order.total_minor);
    return { orderNumber, amount, order };
  }

  /** The store-credit payment of an order, when one was made (whatever happened to the request that made it). */
  async orderPayment(channelId: number, orderNumber: string): Promise<{ transaction_uuid: string } | null> {
    const payment = await this.repository.findOrderPayment(this.dataSource.manager, channelId, orderNumber);
    return payment ? { transaction_uuid: payment.uuid } : null;
  }

  /**
   * Pays (part of) an order from the owner's customer and invoice accounts in the order currency, oldest account
   * first, into SALE. Never overdraws, not even a debit_allowed account. Idempotent by order number: paying an
   * order again with the same amount returns the first payment; with another amount it is a conflict.
   */
  async payOrder(
    channelId: number,
    input: OrderPaymentInput,
    ctx: LedgerContext = {},
  ): Promise<{ transaction_uuid: string }> {
    const { orderNumber, amount, order } = await this.orderAmount(channelId, input);
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
      throw error instanceof LedgerRefusal ? refusalError(error, PAYMENT_FIELDS) : error;
    }
  }

  /**
   * Credits the store credit an order earned, from the channel's BANK account to the owner's customer account in
   * the order currency (opened if missing), once per order: a repeat answers the first transfer. It is a
   * `transfer` carrying the order number, so the customer sees it in `/account/loyalty/` with its order.
   */
  async creditOrderEarning(channelId: number, input: OrderEarningInput): Promise<{ transaction_uuid: string }> {
    const { orderNumber, amount, order } = await this.orderAmount(channelId, input);
    const bank = await this.engine.systemAccount(channelId, 'bank', order.currency);

    const request = { orderNumber, amount };
    const { result } = await this.engine.run(channelId, 'order.earn', request, null, async (m) => {
      await this.repository.lockOrder(m, channelId, orderNumber);
      const existing = await this.repository.findOrderEarning(m, channelId, orderNumber);
      if (existing) return { transaction_uuid: existing.uuid };
      const { destination, locked } = await this.destinations.lock(m, channelId, order.user_id, order.currency, null);
      const spec = this.toOrderOwner(channelId, order, bank, destination, amount, {
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
    return { transaction_uuid: result.transaction_uuid! };
  }

  /** A transaction of an order moving `amount` from a system account to the owner's account, referenced by its number. */
  private toOrderOwner(
    channelId: number,
    order: LedgerOrder,
    source: LoyaltyAccount,
    destination: LoyaltyAccount,
    amount: MinorUnits,
    fields: Pick<TransactionSpec, 'kind' | 'reason' | 'actor_id' | 'idempotency_key'>,
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

  private refuseSystemNumber(invoice: string | null): void {
    if (invoice !== null && this.engine.isSystemNumber(invoice)) {
      throw ValidationFailedError.forField('invoice_number', 'ledger.invoice_other_user');
    }
  }
}
