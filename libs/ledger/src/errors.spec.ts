import { SUPPORTED_LANGUAGES, Translator, type AppConfig } from '@app/common';
import { AmountExceedsOrderError, RefundCapExceededError } from './errors';

describe('ledger errors', () => {
  const translator = new Translator({ defaultLanguage: 'tr' } as AppConfig);

  it.each([
    ['the refund cap', new RefundCapExceededError(1250n)],
    ['the order total', new AmountExceedsOrderError(1250n)],
  ])('name %s in the detail and in the field message, in every language', (_name, error) => {
    for (const language of SUPPORTED_LANGUAGES) {
      const field = error.fieldErrors.amount[0];
      expect(translator.translate(error.messageKey, language, error.args)).toContain('12.50');
      expect(translator.translate(field.key, language, field.args)).toContain('12.50');
    }
  });
});
