import { resolveLanguage } from './languages';
import { MESSAGES } from './messages';

describe('resolveLanguage', () => {
  it.each([
    [undefined, 'tr'],
    ['', 'tr'],
    ['undefined', 'tr'],
    ['en-us', 'en'],
    ['tr-TR', 'tr'],
    ['de-DE,de;q=0.9,en;q=0.8', 'de'],
    ['xx, fr;q=0.5, ru;q=0.7', 'ru'],
    ['ar', 'ar'],
    ['en;q=0', 'tr'],
  ])('reads %p as %p', (header, expected) => {
    expect(resolveLanguage(header, 'tr')).toBe(expected);
  });
});

describe('MESSAGES', () => {
  it('has every message, non-empty, in every language, with the same placeholders', () => {
    const placeholders = (text: string): string[] => (text.match(/\{\w+\}/g) ?? []).sort();
    const flatten = (tree: object, prefix = ''): [string, string][] =>
      Object.entries(tree).flatMap(([key, value]) =>
        typeof value === 'string' ? [[`${prefix}${key}`, value]] : flatten(value as object, `${prefix}${key}.`),
      );
    const reference = new Map(flatten(MESSAGES.en));
    for (const [language, messages] of Object.entries(MESSAGES)) {
      const entries = new Map(flatten(messages));
      expect([language, [...entries.keys()].sort()]).toEqual([language, [...reference.keys()].sort()]);
      for (const [key, text] of entries) {
        expect({ language, key, empty: text.trim() === '' }).toEqual({ language, key, empty: false });
        expect({ language, key, placeholders: placeholders(text) }).toEqual({
          language,
          key,
          placeholders: placeholders(reference.get(key)!),
        });
      }
    }
  });
});
