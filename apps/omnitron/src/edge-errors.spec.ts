import {
  type AppError,
  DomainError,
  domainErrorClassesOf,
  httpStatusOf,
  SUPPORTED_LANGUAGES,
  Translator,
  type AppConfig,
  ValidationFailedError,
} from '@app/common';
import * as ledgerErrors from '@app/ledger';
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
    expect(classes.filter((type) => !OMNITRON_EDGE_ERRORS.covers(type)).map((type) => type.name)).toEqual([]);
  });

  it('answers every domain error the settings export, on the setting’s key as the field', () => {
    const classes = domainErrorClassesOf(settingsErrors);
    expect(classes.map((type) => type.name).sort()).toEqual(['SettingUnknownError', 'SettingValueInvalidError']);
    expect(classes.filter((type) => !OMNITRON_EDGE_ERRORS.covers(type)).map((type) => type.name)).toEqual([]);
    expect(shown(new settingsErrors.SettingUnknownError('NOPE')).fieldErrors).toEqual({
      NOPE: [{ key: 'ledger.setting_unknown' }],
    });
    expect(shown(new settingsErrors.SettingValueInvalidError('LOYALTY_EARNING_RATE')).fieldErrors).toEqual({
      LOYALTY_EARNING_RATE: [{ key: 'validation.percent' }],
    });
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
