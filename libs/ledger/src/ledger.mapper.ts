import { amountToNumber, formatAmount } from '@app/common';
import type {
  AccountLoyaltyTransferResponseDto,
  LoyaltyBalanceResponseDto,
  LoyaltyTransactionResponseDto,
  LoyaltyTransferAdminResponseDto,
} from './dtos/ledger-api.dto';
import type { LoyaltyAccountResponseDto } from './dtos/loyalty-account.dto';
import type { LoyaltyRefundResponseDto } from './dtos/loyalty-transfer.dto';
import type { AccountView, TransactionView, TransferView } from './services/views';

/*
 * Where the ledger's views (accounts, transfers, transactions, balances) become the API's response shapes: the
 * one place their amounts become decimal strings and their dates ISO text.
 */

export function toTransferAdminResponse(view: TransferView): LoyaltyTransferAdminResponseDto {
  return {
    pk: view.pk,
    account: view.account,
    amount: formatAmount(view.amount_minor),
    balance_after: view.balance_after_minor === null ? null : formatAmount(view.balance_after_minor),
    transaction: {
      uuid: view.transaction.uuid,
      kind: view.transaction.kind,
      order: view.transaction.order ?? '',
      actor: view.transaction.actor,
      created_date: view.transaction.created_date.toISOString(),
    },
    created_date: view.created_date.toISOString(),
    currency: view.currency,
  };
}

export function toTransactionResponse(view: TransactionView): LoyaltyTransactionResponseDto {
  return {
    pk: view.pk,
    uuid: view.uuid,
    kind: view.kind,
    amount: formatAmount(view.amount_minor),
    currency: view.currency,
    order: view.order,
    order_number: view.order_number,
    user: view.user,
    user_email: view.user_email,
    reference: view.reference,
    actor: view.actor,
    reason: view.reason,
    refunded_transaction: view.refunded_transaction_uuid,
    earning_shortfall: formatAmount(view.earning_shortfall_minor),
    created_date: view.created_date.toISOString(),
    transfers: view.transfers.map(toTransferAdminResponse),
  };
}

export function toBalanceResponse(minor: bigint): LoyaltyBalanceResponseDto {
  return { balance: amountToNumber(minor) };
}

export function toAccountLoyaltyTransfer(view: TransferView): AccountLoyaltyTransferResponseDto {
  return {
    amount: formatAmount(view.amount_minor),
    currency: { value: view.currency, label: view.currency.toUpperCase() },
    created_date: view.created_date.toISOString(),
    transaction: { order: view.transaction.order ?? '', created_date: view.transaction.created_date.toISOString() },
  };
}

export function toRefundResponse(view: TransactionView): LoyaltyRefundResponseDto {
  return {
    pk: view.pk,
    uuid: view.uuid,
    amount: formatAmount(view.amount_minor),
    order: view.order,
    user: view.user,
    user_email: view.user_email,
    reference: view.reference,
  };
}

export function toAccountResponse(view: AccountView): LoyaltyAccountResponseDto {
  return {
    pk: view.pk,
    number: view.number,
    user_email: view.user_email,
    balance: formatAmount(view.balance_minor),
    debit_allowed: view.debit_allowed,
    created_date: view.created_date.toISOString(),
    modified_date: view.modified_date.toISOString(),
    user: view.user,
    currency: view.currency,
  };
}
