import {
  optionalText,
  requireBalance,
  requireCurrency,
  requireId,
  requirePositiveAmount,
  ValidationFailedError,
} from '@app/common';
import {
  ACCOUNT_NUMBER_LENGTH_MAX,
  type AccountCreateCommand,
  type AccountUpdateCommand,
  type AccountView,
  type CrossRefundCommand,
  type LoyaltyAccountCreateDto,
  type LoyaltyAccountUpdateDto,
  type LoyaltyCrossRefundCreateDto,
  type LoyaltyRefundCreateDto,
  type LoyaltyTransferCreateDto,
  REASON_LENGTH_MAX,
  REFERENCE_LENGTH_MAX,
  type RefundCommand,
  toAccountResponse,
  type TransferCommand,
} from '@app/ledger';

/*
 * The back office's request DTOs as the ledger's commands. The DTOs are validated already; each parser here still
 * names its field, so a value the DTO let through and the ledger cannot take is a 400 on that field, never a 500.
 */

/** The largest e-mail the account DTOs accept (RFC 5321's path limit). */
const EMAIL_LENGTH_MAX = 254;

export function transferCommand(dto: LoyaltyTransferCreateDto): TransferCommand {
  return {
    amount: requirePositiveAmount('amount', dto.amount),
    sourceId: requireId('source_account', dto.source_account),
    destinationId: requireId('destination_account', dto.destination_account),
  };
}

export function refundCommand(dto: LoyaltyRefundCreateDto): RefundCommand {
  const uuid = typeof dto.transaction_uuid === 'string' ? dto.transaction_uuid.trim().toLowerCase() : '';
  if (uuid === '') throw ValidationFailedError.forField('transaction_uuid', 'validation.invalid');
  return {
    paymentUuid: uuid,
    amount: requirePositiveAmount('amount', dto.amount),
    invoiceNumber: optionalText('invoice_number', dto.invoice_number, ACCOUNT_NUMBER_LENGTH_MAX),
  };
}

export function crossRefundCommand(dto: LoyaltyCrossRefundCreateDto): CrossRefundCommand {
  const orderNumber = optionalText('order_number', dto.order_number, REFERENCE_LENGTH_MAX);
  if (orderNumber === null) throw ValidationFailedError.forField('order_number', 'validation.required');
  return {
    orderNumber,
    amount: requirePositiveAmount('amount', dto.amount),
    invoiceNumber: optionalText('invoice_number', dto.invoice_number, ACCOUNT_NUMBER_LENGTH_MAX),
  };
}

export function accountCreateCommand(dto: LoyaltyAccountCreateDto): AccountCreateCommand {
  return {
    number: optionalText('number', dto.number, ACCOUNT_NUMBER_LENGTH_MAX),
    userId: dto.user === undefined || dto.user === null ? null : requireId('user', dto.user),
    userEmail: optionalText('user_email', dto.user_email, EMAIL_LENGTH_MAX),
    currency: requireCurrency('currency', dto.currency),
    balance: dto.balance === undefined || dto.balance === null ? 0n : requireBalance('balance', dto.balance),
    debitAllowed: requireOptionalBoolean('debit_allowed', dto.debit_allowed) ?? false,
    kind: 'customer',
  };
}

export function accountUpdateCommand(dto: LoyaltyAccountUpdateDto): AccountUpdateCommand {
  return {
    balance: dto.balance === undefined || dto.balance === null ? null : requireBalance('balance', dto.balance),
    debitAllowed: requireOptionalBoolean('debit_allowed', dto.debit_allowed),
    reason: optionalText('reason', dto.reason, REASON_LENGTH_MAX),
  };
}

function requireOptionalBoolean(field: string, input: unknown): boolean | null {
  if (input === undefined || input === null) return null;
  if (typeof input !== 'boolean') throw ValidationFailedError.forField(field, 'validation.not_boolean');
  return input;
}

/** Keys the client named: class-transformer leaves declared but unsent fields as own `undefined` properties. */
export function named<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** An id as a client may echo it: 34 or "34". */
function sameId(value: unknown, id: number | null): boolean {
  return (typeof value === 'number' || typeof value === 'string') && id !== null && String(value) === String(id);
}

/**
 * An update may send back the account's read-only fields (the whole object as it was read), but only unchanged:
 * a value that differs is a 400 on that field.
 */
export function refuseReadOnlyChanges(current: AccountView, dto: LoyaltyAccountUpdateDto): void {
  const response = toAccountResponse(current);
  const sent = named(dto);
  const same: Record<string, (value: unknown) => boolean> = {
    pk: (v) => sameId(v, response.pk),
    number: (v) => v === response.number,
    user: (v) => (v === null ? response.user === null : sameId(v, response.user)),
    user_email: (v) =>
      v === null
        ? response.user_email === null
        : typeof v === 'string' && v.toLowerCase() === response.user_email?.toLowerCase(),
    currency: (v) => typeof v === 'string' && v.toLowerCase() === response.currency,
    created_date: (v) => typeof v === 'string' && Date.parse(v) === current.created_date.getTime(),
    modified_date: (v) => typeof v === 'string' && Date.parse(v) === current.modified_date.getTime(),
  };
  for (const [field, isSame] of Object.entries(same)) {
    if (field in sent && !isSame(sent[field as keyof LoyaltyAccountUpdateDto])) {
      throw ValidationFailedError.forField(field, 'ledger.read_only');
    }
  }
}
