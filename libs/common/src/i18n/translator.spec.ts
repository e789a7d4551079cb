import type { AppConfig } from '../config/app-config';
import type { MessageKey } from './messages';
import { Translator } from './translator';

describe('Translator', () => {
  const translator = new Translator({ defaultLanguage: 'tr' } as AppConfig);

  it('answers a message in the language asked for', () => {
    expect(translator.translate('errors.not_found', 'en')).toBe('Not found.');
    expect(translator.translate('validation.required', 'de')).not.toBe(
      translator.translate('validation.required', 'en'),
    );
  });

  it('fills placeholders from the arguments and leaves one without an argument as written', () => {
    expect(translator.translate('errors.throttled', 'en', { seconds: 12 })).toBe(
      'Request was throttled. Expected available in 12 seconds.',
    );
    expect(translator.translate('errors.throttled', 'en', {})).toContain('{seconds}');
    expect(translator.translate('errors.throttled', 'en', { toString: 'x' })).toContain('{seconds}');
  });

  it('falls back to the key for a key no language has (only reachable past the type-check)', () => {
    expect(translator.translate('errors.nothing_like_this' as MessageKey, 'fr')).toBe('errors.nothing_like_this');
  });

  it('resolves the language of an Accept-Language header, with the configured default', () => {
    expect(translator.languageOf('fr-FR,fr;q=0.9')).toBe('fr');
    expect(translator.languageOf('undefined')).toBe('tr');
  });
});
