import {
  type AppError,
  DomainError,
  domainErrorClassesOf,
  httpStatusOf,
  wireOf,
  SUPPORTED_LANGUAGES,
  Translator,
  type AppConfig,
  ValidationFailedError,
} from '@app/common';
import * as checkoutErrors from '@app/checkout';
import * as geographyErrors from '@app/geography';
import * as identityErrors from '@app/identity';
import * as ledgerErrors from '@app/ledger';
import * as loyaltyCardErrors from '@app/loyalty-card';
import * as settingsErrors from '@app/settings';
import {
  AccountNotFoundError,
  AmountExceedsOrderError,
  CurrencyMismatchError,
  InsufficientFundsError,
  LEDGER_OPERATION_ERRORS,
  RefundCapExceededError,
} from '@app/ledger';
import { OMNITRON_EDGE_ERRORS } from './edge-errors';

const shown = (error: DomainError): AppError => {
  const answer = OMNITRON_EDGE_ERRORS.toHttp(error);
  if (!answer) throw new Error(`no rule for ${error.name}`);
  return answer;
};
const fieldsOf = (error: DomainError) => Object.keys(shown(error).fieldErrors ?? {});

describe('the omnitron edge table', () => {
  it('answers every domain error the ledger exports', () => {
    const classes = domainErrorClassesOf(ledgerErrors);
    expect(classes.length).toBeGreaterThan(20);
    expect(OMNITRON_EDGE_ERRORS.unansweredIn(ledgerErrors)).toEqual([]);
  });

  it('answers every domain error the settings export, on the setting’s key as the field', () => {
    const classes = domainErrorClassesOf(settingsErrors);
    expect(classes.map((type) => type.name).sort()).toEqual(['SettingUnknownError', 'SettingValueInvalidError']);
    expect(OMNITRON_EDGE_ERRORS.unansweredIn(settingsErrors)).toEqual([]);
    expect(shown(new settingsErrors.SettingUnknownError('NOPE')).fieldErrors).toEqual({
      NOPE: [{ key: 'ledger.setting_unknown' }],
    });
    expect(shown(new settingsErrors.SettingValueInvalidError('LOYALTY_EARNING_RATE')).fieldErrors).toEqual({
      LOYALTY_EARNING_RATE: [{ key: 'validation.percent' }],
    });
  });

  it('answers every domain error of the other libs, but those that only the storefront’s services raise', () => {
    for (const lib of [checkoutErrors, geographyErrors, identityErrors, loyaltyCardErrors]) {
      expect(domainErrorClassesOf(lib).length).toBeGreaterThan(0);
    }
    expect(OMNITRON_EDGE_ERRORS.unansweredIn(geographyErrors)).toEqual([]);
    // The basket, addresses and order history (checkout), registration (identity), enrolment (loyalty card).
    expect(OMNITRON_EDGE_ERRORS.unansweredIn(checkoutErrors)).toEqual([
      'AddressesExceededError',
      'BasketChangedError',
      'BasketLinesExceededError',
      'InsufficientStockError',
      'LineAttributesTooLargeError',
      'LineQuantityMissingError',
      'LineQuantityTooLargeError',
      'PriceMissingError',
      'ProductUnavailableError',
    ]);
    expect(OMNITRON_EDGE_ERRORS.unansweredIn(identityErrors)).toEqual(['EmailTakenError']);
    expect(OMNITRON_EDGE_ERRORS.unansweredIn(loyaltyCardErrors)).toEqual([
      'PhoneNotVerifiedError',
      'PhoneTakenError',
      'SmsCodeAttemptsExceededError',
      'SmsCodeExpiredError',
      'SmsCodeInvalidError',
      'SmsDetailsMismatchError',
    ]);
  });

  const invalid = (fieldErrors: object) => ({
    status: 400,
    code: 'invalid',
    messageKey: 'errors.validation_failed',
    args: {},
    fieldErrors,
  });
  it.each<[string, DomainError, object]>([
    [
      'a price in a currency the channel does not sell',
      new checkoutErrors.PriceCurrencyNotSoldError('EUR'),
      invalid({ prices: [{ key: 'checkout.currency_not_sold', args: { currency: 'EUR' } }] }),
    ],
    [
      'a currency priced twice',
      new checkoutErrors.PriceCurrencyRepeatedError('TRY'),
      invalid({ prices: [{ key: 'checkout.currency_repeated' }] }),
    ],
    [
      'a price that is no positive amount',
      new checkoutErrors.PriceAmountInvalidError('TRY'),
      invalid({ prices: [{ key: 'validation.amount_invalid' }] }),
    ],
    [
      'a price above the highest',
      new checkoutErrors.PriceTooHighError('TRY', checkoutErrors.PRICE_MAX_MINOR),
      invalid({ prices: [{ key: 'validation.amount_too_large', args: { max: '1000000000.00' } }] }),
    ],
    ['a taken sku', new checkoutErrors.SkuTakenError(), invalid({ sku: [{ key: 'checkout.sku_taken' }] })],
    [
      'a changed parent of a city',
      new geographyErrors.ParentReadOnlyError('country'),
      invalid({ country: [{ key: 'geography.parent_read_only' }] }),
    ],
    [
      'a changed parent of a district',
      new geographyErrors.ParentReadOnlyError('township'),
      invalid({ township: [{ key: 'geography.parent_read_only' }] }),
    ],
    [
      'an unknown parent of a new township',
      new geographyErrors.ParentNotFoundError('city'),
      invalid({ city: [{ key: 'geography.choice_invalid' }] }),
    ],
    [
      'a taken country code',
      new geographyErrors.PlaceTakenError('code'),
      invalid({ code: [{ key: 'geography.code_taken' }] }),
    ],
    [
      'a taken name under the parent',
      new geographyErrors.PlaceTakenError('name'),
      invalid({ name: [{ key: 'geography.name_taken' }] }),
    ],
  ])('answers %s exactly as the lib did before it raised domain errors', (_name, error, answer) => {
    expect(wireOf(shown(error))).toEqual(answer);
  });

  it('names the request field of the role an account played in the operation', () => {
    expect(fieldsOf(new AccountNotFoundError('transfer', 'source', 7))).toEqual(['source_account']);
    expect(fieldsOf(new AccountNotFoundError('transfer', 'destination', 7))).toEqual(['destination_account']);
    expect(fieldsOf(new AccountNotFoundError('refund', 'destination'))).toEqual(['invoice_number']);
    expect(fieldsOf(new CurrencyMismatchError('transfer', 'destination'))).toEqual(['destination_account']);
    expect(fieldsOf(new InsufficientFundsError('adjustment'))).toEqual(['balance']);
    expect(fieldsOf(new InsufficientFundsError('transfer', 3))).toEqual(['amount']);
  });

  it('answers an account the path names as the 404 of the path, any other as a 400', () => {
    const pathAccount = shown(new AccountNotFoundError('account_read', null, 9));
    expect(pathAccount).toMatchObject({ code: 'loyalty_account_not_found' });
    expect(httpStatusOf(pathAccount)).toBe(404);
    expect(shown(new AccountNotFoundError('transfer', 'source'))).toBeInstanceOf(ValidationFailedError);
  });

  const translator = new Translator({ defaultLanguage: 'tr' } as AppConfig);
  it.each([
    ['the refund cap', new RefundCapExceededError(1250n)],
    ['the order total', new AmountExceedsOrderError('cross_refund', 1250n)],
  ])('names %s in the detail and in the field message, in every language', (_name, error) => {
    const answer = shown(error);
    for (const language of SUPPORTED_LANGUAGES) {
      const field = answer.fieldErrors!.amount[0];
      expect(translator.translate(answer.messageKey, language, answer.args)).toContain('12.50');
      expect(translator.translate(field.key, language, field.args)).toContain('12.50');
    }
  });
});

describe('the ledger operation list', () => {
  it('names only the ledger own errors, each at least once', () => {
    const listed = new Set(Object.values(LEDGER_OPERATION_ERRORS).flat());
    const classes = domainErrorClassesOf(ledgerErrors);
    expect(classes.filter((type) => !listed.has(type as never)).map((type) => type.name)).toEqual([]);
  });
});
