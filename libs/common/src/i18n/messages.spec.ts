import type { AppConfig } from '../config/app-config';
import { SUPPORTED_LANGUAGES } from './languages';
import { MESSAGES, type MessageKey } from './messages';
import { Translator } from './translator';

/** The translator's placeholder pattern: `{name}` (braces around other text, such as a JSON hint, are text). */
const PLACEHOLDER = /\{(\w+)\}/g;

function leaves(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [[`${prefix}${key}`, value] as [string, string]]
      : leaves(value as object, `${prefix}${key}.`),
  );
}

const placeholders = (text: string) => [...text.matchAll(PLACEHOLDER)].map((m) => m[1]).sort();
const english = new Map(leaves(MESSAGES.en));

describe('every message in every language', () => {
  const translator = new Translator({ defaultLanguage: 'tr' } as AppConfig);

  it.each(SUPPORTED_LANGUAGES)('%s has the placeholders of the English text, key by key', (language) => {
    const differing = leaves(MESSAGES[language])
      .filter(([key, text]) => placeholders(text).join() !== placeholders(english.get(key)!).join())
      .map(([key]) => key);
    expect(differing).toEqual([]);
  });

  it.each(SUPPORTED_LANGUAGES)('%s renders every key with its arguments and leaves no placeholder', (language) => {
    const unrendered: string[] = [];
    for (const [key, template] of english) {
      const args = Object.fromEntries(placeholders(template).map((name) => [name, `<${name}>`]));
      const text = translator.translate(key as MessageKey, language, args);
      if (PLACEHOLDER.test(text) || text === key) unrendered.push(`${key}: ${text}`);
      PLACEHOLDER.lastIndex = 0;
    }
    expect(unrendered).toEqual([]);
  });
});
