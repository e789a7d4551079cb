import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { formatAmount, type MinorUnits } from '@app/common';
import { preparedRows, raisedRefusal } from '@app/database';
import { DataSource } from 'typeorm';

/** The refusals the ledger's SQL functions raise (SQLSTATE LDG00, the code as the message). */
export const REFUSAL_CODES = [
  'account_not_found',
  'currency_mismatch',
  'insufficient_funds',
  'balance_limit',
  'idempotency_conflict',
  'order_payment_conflict',
  'money_disabled',
  'system_account_missing',
  'refund_cap_exceeded',
  'invoice_other_user',
  'negative_balance_not_allowed',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** Which side of the operation a refusal is about: the account money leaves, the one it goes to, or a system account. */
export type RefusalRole = 'source' | 'destination' | 'sale' | 'refund' | null;

/**
 * A money operation the database refused, before it wrote anything: what was wrong and about which account role.
 * It carries no HTTP status and no request field: the service that called the function says what it means there.
 */
export class LedgerRefusal extends Error {
  constructor(
    readonly code: RefusalCode,
    readonly role: RefusalRole,
    /**
     * The refusal's detail as the database gave it: what is left of a cap (`refund_cap_exceeded`, decimal text), the
     * setting that made a balance negative (`negative_balance_not_allowed`: `balance` or `debit_allowed`).
     */
    readonly detail: string | null = null,
  ) {
    super(`ledger refused: ${code}${role ? ` (${role})` : ''}`);
    this.name = 'LedgerRefusal';
  }
}

export interface OperationOutcome {
  transaction_uuid: string;
  /** True when the stored result of an earlier request (same idempotency key, or the same order payment) answered. */
  replayed: boolean;
}

export interface TransferCall {
  channelId: number;
  sourceId: number;
  destinationId: number;
  amount: MinorUnits;
  actorId: number | null;
  key: string | null;
  fingerprint: string | null;
  uuid: string;
  now: Date;
  balanceMax: MinorUnits;
}

export interface OrderPaymentCall {
  channelId: number;
  orderId: number;
  orderNumber: string;
  userId: number;
  currency: string;
  amount: MinorUnits;
  actorId: number | null;
  key: string | null;
  fingerprint: string | null;
  uuid: string;
  now: Date;
}

export interface RefundCall {
  kind: 'refund' | 'cross_refund';
  channelId: number;
  /** The order payment a refund gives back from (null for a cross-refund), and what it took. */
  paymentId: number | null;
  paymentAmount: MinorUnits | null;
  orderId: number | null;
  orderNumber: string;
  ownerId: number;
  currency: string;
  /** The order's total when the order is known (always for a cross-refund): the order cap and the earning share. */
  orderTotal: MinorUnits | null;
  amount: MinorUnits;
  invoice: string | null;
  actorId: number | null;
  key: string | null;
  fingerprint: string | null;
  uuid: string;
  reversalUuid: string;
  now: Date;
  balanceMax: MinorUnits;
  /** The number of the owner's customer account, should the refund have to open it. */
  newCustomerNumber: string;
}

export interface AdjustCall {
  channelId: number;
  accountId: number;
  /** The balance to set (the difference is an adjustment with BANK), or null to keep it. */
  target: MinorUnits | null;
  /** The debit_allowed to set, or null to keep it. */
  debitAllowed: boolean | null;
  reason: string | null;
  actorId: number | null;
  key: string | null;
  fingerprint: string | null;
  uuid: string;
  now: Date;
  balanceMax: MinorUnits;
}

const TRANSFER_SQL = 'SELECT transaction_uuid, replayed FROM ledger_transfer($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)';
const REFUND_SQL =
  'SELECT transaction_uuid, replayed FROM ledger_refund($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)';
const ADJUST_SQL = 'SELECT transaction_uuid, replayed FROM ledger_adjust($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)';
const PAY_ORDER_SQL =
  'SELECT transaction_uuid, replayed FROM ledger_pay_order($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)';

function refusalOf(error: unknown): LedgerRefusal | undefined {
  const raised = raisedRefusal(error, 'LDG00');
  const code = REFUSAL_CODES.find((c) => c === raised?.code);
  if (!raised || !code) return undefined;
  const role = (['source', 'destination', 'sale', 'refund'] as const).find((r) => r === raised.detail) ?? null;
  return new LedgerRefusal(code, role, raised.detail);
}

/**
 * The ledger's one-round-trip operations (migration 1765020000000, docs/ledger.md "One round trip"): each call is one
 * autocommit statement, a named prepared statement on the pool's connection. A refusal comes back as LedgerRefusal.
 */
@Injectable()
export class LedgerFunctions {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transfer(c: TransferCall): Promise<OperationOutcome> {
    return this.call('ledger_transfer', TRANSFER_SQL, [
      c.channelId,
      c.sourceId,
      c.destinationId,
      formatAmount(c.amount),
      c.actorId,
      c.key,
      c.fingerprint,
      c.uuid,
      c.now,
      formatAmount(c.balanceMax),
    ]);
  }

  payOrder(c: OrderPaymentCall): Promise<OperationOutcome> {
    return this.call('ledger_pay_order', PAY_ORDER_SQL, [
      c.channelId,
      c.orderId,
      c.orderNumber,
      c.userId,
      c.currency,
      formatAmount(c.amount),
      c.actorId,
      c.key,
      c.fingerprint,
      c.uuid,
      c.now,
    ]);
  }

  refund(c: RefundCall): Promise<OperationOutcome> {
    const amount = (minor: MinorUnits | null): string | null => (minor === null ? null : formatAmount(minor));
    return this.call('ledger_refund', REFUND_SQL, [
      c.kind,
      c.channelId,
      c.paymentId,
      amount(c.paymentAmount),
      c.orderId,
      c.orderNumber,
      c.ownerId,
      c.currency,
      amount(c.orderTotal),
      formatAmount(c.amount),
      c.invoice,
      c.actorId,
      c.key,
      c.fingerprint,
      c.uuid,
      c.reversalUuid,
      c.now,
      formatAmount(c.balanceMax),
      c.newCustomerNumber,
    ]);
  }

  /** A balance change; `transaction_uuid` is null when the balance stayed as it was. */
  async adjust(c: AdjustCall): Promise<{ transaction_uuid: string | null; replayed: boolean }> {
    return this.call('ledger_adjust', ADJUST_SQL, [
      c.channelId,
      c.accountId,
      c.target === null ? null : formatAmount(c.target),
      c.debitAllowed,
      c.reason,
      c.actorId,
      c.key,
      c.fingerprint,
      c.uuid,
      c.now,
      formatAmount(c.balanceMax),
    ]);
  }

  private async call(name: string, text: string, values: unknown[]): Promise<OperationOutcome> {
    try {
      const [row] = await preparedRows<OperationOutcome>(this.dataSource, name, text, values);
      return row;
    } catch (error) {
      throw refusalOf(error) ?? error;
    }
  }
}
