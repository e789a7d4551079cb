import { type AppError, type DomainError, domainErrorClassesOf, httpStatusOf, wireOf } from '@app/common';
import * as checkoutErrors from '@app/checkout';
import * as geographyErrors from '@app/geography';
import * as identityErrors from '@app/identity';
import { InsufficientFundsError, LEDGER_OPERATION_ERRORS } from '@app/ledger';
import * as loyaltyCardErrors from '@app/loyalty-card';
import * as settingsErrors from '@app/settings';
import { STOREFRONT_EDGE_ERRORS } from './edge-errors';

const shown = (error: DomainError): AppError => {
  const answer = STOREFRONT_EDGE_ERRORS.toHttp(error);
  if (!answer) throw new Error(`no rule for ${error.name}`);
  return answer;
};

describe('the storefront edge table', () => {
  it('answers every error of the ledger operations the storefront calls', () => {
    const called = [...LEDGER_OPERATION_ERRORS.payOrder, ...LEDGER_OPERATION_ERRORS.listTransfers];
    expect(called.filter((type) => !STOREFRONT_EDGE_ERRORS.covers(type)).map((type) => type.name)).toEqual([]);
  });

  it('answers every domain error of the other libs, but those that only the back office’s services raise', () => {
    for (const lib of [checkoutErrors, geographyErrors, identityErrors, loyaltyCardErrors, settingsErrors]) {
      expect(domainErrorClassesOf(lib).length).toBeGreaterThan(0);
    }
    expect(STOREFRONT_EDGE_ERRORS.unansweredIn(identityErrors)).toEqual([]);
    // The catalogue (checkout), the geography's and the local provider's back office, the dynamic settings.
    expect(STOREFRONT_EDGE_ERRORS.unansweredIn(checkoutErrors)).toEqual([
      'PriceAmountInvalidError',
      'PriceCurrencyNotSoldError',
      'PriceCurrencyRepeatedError',
      'PriceTooHighError',
      'SkuTakenError',
    ]);
    expect(STOREFRONT_EDGE_ERRORS.unansweredIn(geographyErrors)).toEqual([
      'ParentNotFoundError',
      'ParentReadOnlyError',
      'PlaceTakenError',
    ]);
    expect(STOREFRONT_EDGE_ERRORS.unansweredIn(loyaltyCardErrors)).toEqual([]);
    expect(STOREFRONT_EDGE_ERRORS.unansweredIn(settingsErrors)).toEqual([
      'SettingUnknownError',
      'SettingValueInvalidError',
    ]);
  });

  it('answers a refused payment with a message of the page, no field (the final page has none)', () => {
    const answer = STOREFRONT_EDGE_ERRORS.toHttp(new InsufficientFundsError('order_payment'));
    expect(answer).toMatchObject({ code: 'insufficient_funds', messageKey: 'ledger.insufficient_funds' });
    expect(httpStatusOf(answer!)).toBe(400);
    expect(answer?.fieldErrors).toBeUndefined();
  });

  const invalid = (fieldErrors: object, code = 'invalid', messageKey = 'errors.validation_failed') => ({
    status: 400,
    code,
    messageKey,
    args: {},
    fieldErrors,
  });
  it.each<[string, DomainError, object]>([
    [
      'a registration’s taken e-mail',
      new identityErrors.EmailTakenError(),
      invalid({ email: [{ key: 'validation.email_taken' }] }),
    ],
    [
      'a phone another customer proved',
      new loyaltyCardErrors.PhoneTakenError(),
      invalid({ phone: [{ key: 'loyalty_card.phone_taken' }] }),
    ],
    [
      'a phone this customer never proved',
      new loyaltyCardErrors.PhoneNotVerifiedError(),
      invalid(
        { phone: [{ key: 'loyalty_card.phone_not_verified' }] },
        'phone_not_verified',
        'loyalty_card.phone_not_verified',
      ),
    ],
    [
      'an expired (or no) code',
      new loyaltyCardErrors.SmsCodeExpiredError(),
      invalid({ code: [{ key: 'loyalty_card.code_expired' }] }),
    ],
    [
      'a code posted with other details',
      new loyaltyCardErrors.SmsDetailsMismatchError(),
      invalid({ non_field_errors: [{ key: 'loyalty_card.details_mismatch' }] }),
    ],
    [
      'a code whose tries are used up',
      new loyaltyCardErrors.SmsCodeAttemptsExceededError(),
      invalid({ code: [{ key: 'loyalty_card.code_attempts_exceeded' }] }),
    ],
    [
      'a wrong code',
      new loyaltyCardErrors.SmsCodeInvalidError(),
      invalid({ code: [{ key: 'loyalty_card.code_invalid' }] }),
    ],
    [
      'a basket change without a quantity',
      new checkoutErrors.LineQuantityMissingError(),
      invalid({ quantity: [{ key: 'validation.required' }] }),
    ],
    [
      'a line quantity above the most',
      new checkoutErrors.LineQuantityTooLargeError(100),
      invalid({ quantity: [{ key: 'checkout.quantity_too_large', args: { max: 100 } }] }),
    ],
    [
      'a line’s attributes too large',
      new checkoutErrors.LineAttributesTooLargeError(1024),
      invalid({ attributes: [{ key: 'validation.max_length', args: { max: 1024 } }] }),
    ],
    [
      'a line past the basket’s most lines',
      new checkoutErrors.BasketLinesExceededError(50),
      invalid({ product: [{ key: 'checkout.basket_lines_exceeded', args: { max: 50 } }] }),
    ],
    [
      'too little stock',
      new checkoutErrors.InsufficientStockError(3),
      invalid({ quantity: [{ key: 'checkout.insufficient_stock', args: { available: 3 } }] }, 'insufficient_stock'),
    ],
    [
      'a product that cannot be had',
      new checkoutErrors.ProductUnavailableError(),
      invalid({ product: [{ key: 'checkout.product_unavailable' }] }, 'product_unavailable'),
    ],
    [
      'a product without a price in the currency',
      new checkoutErrors.PriceMissingError('try'),
      invalid({ product: [{ key: 'checkout.price_missing', args: { currency: 'TRY' } }] }, 'price_missing'),
    ],
    [
      'a basket that kept changing',
      new checkoutErrors.BasketChangedError(),
      { status: 409, code: 'basket_changed', messageKey: 'checkout.basket_changed', args: {} },
    ],
    [
      'one address too many',
      new checkoutErrors.AddressesExceededError(50),
      invalid({ non_field_errors: [{ key: 'checkout.addresses_exceeded', args: { max: 50 } }] }),
    ],
  ])('answers %s exactly as the lib did before it raised domain errors', (_name, error, answer) => {
    expect(wireOf(shown(error))).toEqual(answer);
  });
});
