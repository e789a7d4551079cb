// @ts-check
// The UI's language: its strings (strings.js) in English and Turkish. The API's own messages arrive already
// translated: every request carries Accept-Language with the language chosen here.
import { STRINGS } from './strings.js';

/** A language of the UI: a key of STRINGS ('en' | 'tr'). @typedef {keyof typeof STRINGS} Lang */
/**
 * A language's strings by key. Looked up by any string (`kind_${kind}` is built at run time), so a key may be
 * missing: `t` falls back to English, then to the key itself.
 * @typedef {Partial<Record<string, string>>} StringTable
 */

/** @type {Record<Lang, StringTable>} */
const TABLES = STRINGS;

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'tr', label: 'Türkçe' },
];

const STORAGE_KEY = 'loyalty-admin.lang';

/** @returns {Lang} the stored choice, else the browser's language when it is Turkish, else English */
export function getLang() {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && stored in STRINGS) return /** @type {Lang} */ (stored);
  return (navigator.language || 'en').toLowerCase().startsWith('tr') ? 'tr' : 'en';
}

/** @param {string} code a language's code; anything but a key of STRINGS is ignored */
export function setLang(code) {
  if (code in STRINGS) localStorage.setItem(STORAGE_KEY, code);
  document.documentElement.lang = getLang();
}

/**
 * The UI string `key` in the chosen language, with {name} placeholders filled in.
 * @param {string} key
 * @param {Record<string, string | number>} [params]
 * @returns {string}
 */
export function t(key, params = {}) {
  const text = TABLES[getLang()][key] ?? TABLES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}
