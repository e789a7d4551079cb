import { formatAmount, type MinorUnits } from '@app/common';
import type { CardPaymentService } from '../payments/card-payment.service';
import type { InstallmentCount, InstallmentPrice } from '../payments/card-rules';
import type { CheckoutState } from './checkout-state';

/** The contract's InstallmentOption; `pk` is the installment count. */
export function installmentOption(price: InstallmentPrice) {
  return {
    pk: price.count,
    installment_count: price.count,
    label: price.count === 1 ? 'Single payment' : `${price.count} installments`,
    price_with_accrued_interest: formatAmount(price.total),
    monthly_price_with_accrued_interest: formatAmount(price.monthly),
  };
}

/** Every installment count on offer for what the card pays. */
export function installmentOptions(payments: CardPaymentService, amount: MinorUnits) {
  return payments.prices(amount).map(installmentOption);
}

/** The installment count chosen (1 until InstallmentSelectionPage is posted). */
export function chosenInstallment(payments: CardPaymentService, state: CheckoutState): InstallmentCount {
  const count = state.installment ?? 1;
  return payments.isInstallmentCount(count) ? count : 1;
}
