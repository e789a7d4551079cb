// @ts-check
// The UI's language: its strings (strings.js) in English and Turkish. The API's own messages arrive already
// translated: every request carries Accept-Language with the language chosen here.
import { STRINGS } from './strings.js';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'tr', label: 'Türkçe' },
];

const STORAGE_KEY = 'loyalty-admin.lang';

export function getLang() {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && stored in STRINGS) return stored;
  return (navigator.language || 'en').toLowerCase().startsWith('tr') ? 'tr' : 'en';
}

export function setLang(code) {
  if (code in STRINGS) localStorage.setItem(STORAGE_KEY, code);
  document.documentElement.lang = getLang();
}

/** The UI string `key` in the chosen language, with {name} placeholders filled in. */
export function t(key, params = {}) {
  const text = STRINGS[getLang()][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}
