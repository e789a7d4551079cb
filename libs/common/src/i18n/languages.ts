export const SUPPORTED_LANGUAGES = ['tr', 'en', 'ar', 'ru', 'de', 'fr'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

function isLanguage(value: string): value is Language {
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(value);
}

/**
 * Picks the first supported language of an Accept-Language header, honouring q-values.
 * `en-us` and `tr-TR` match their base language; the storefront client sends the literal `undefined`
 * when it has no locale cookie, which (like anything unknown) falls back to the default.
 */
export function resolveLanguage(header: string | string[] | undefined, fallback: Language): Language {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return fallback;
  const candidates = value
    .slice(0, 512)
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return {
        base: tag.trim().toLowerCase().split(/[-_]/)[0] ?? '',
        weight: Number.isFinite(weight) ? weight : 0,
        index,
      };
    })
    .filter((c) => c.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return candidates.map((c) => c.base).find(isLanguage) ?? fallback;
}
