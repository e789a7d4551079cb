/** The checkout's payment options, as PaymentOptionSelectionPage offers them and orders show them. */
export const CREDIT_CARD = {
  pk: 1,
  name: 'Credit card',
  slug: 'credit_card',
  payment_type: 'credit_card',
  payment_type_label: 'Credit Card',
} as const;

export const LOYALTY_MONEY = {
  pk: 2,
  name: 'Loyalty money',
  slug: 'loyalty_money',
  payment_type: 'loyalty_money',
  payment_type_label: 'Loyalty Money',
} as const;

export type PaymentOption = typeof CREDIT_CARD | typeof LOYALTY_MONEY;

export const PAYMENT_OPTIONS: readonly PaymentOption[] = [CREDIT_CARD, LOYALTY_MONEY];
