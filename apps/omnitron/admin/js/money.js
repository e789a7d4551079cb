// @ts-check
// Amounts stay decimal strings from input to display: never parsed into floating-point numbers.

/** What the API accepts: up to 13 integer digits and two decimals (its maximum is below 10^13). */
export const AMOUNT_PATTERN = /^\d{1,13}(\.\d{1,2})?$/;
/** A new balance may also be negative (an account that allows debit). */
export const SIGNED_AMOUNT_PATTERN = /^-?\d{1,13}(\.\d{1,2})?$/;

/**
 * The typed amount in the API's notation, or null when it is not an amount. A single comma is read as the decimal
 * separator ("10,50"), as Turkish and most European staff type it; spaces are ignored.
 * @param {string} text
 * @param {{ signed?: boolean }} [options] `signed`: a leading minus is allowed (a new balance)
 * @returns {string | null}
 */
export function normalizeAmount(text, { signed = false } = {}) {
  let value = String(text).replace(/\s+/g, '');
  if (value.includes(',') && !value.includes('.') && value.split(',').length === 2) value = value.replace(',', '.');
  return (signed ? SIGNED_AMOUNT_PATTERN : AMOUNT_PATTERN).test(value) ? value : null;
}

/**
 * True when a normalized amount is above zero: some digit other than 0 (string test, no arithmetic).
 * @param {string} amount
 * @returns {boolean}
 */
export function isPositive(amount) {
  return !amount.startsWith('-') && /[1-9]/.test(amount);
}

/**
 * "1234567.5" -> "1,234,567.50 TRY" ("1.234.567,50 TRY" in Turkish): digits grouped by string slicing only.
 * @param {string | null | undefined} amount the API's decimal string; null or undefined is shown as a dash
 * @param {string | null | undefined} currency
 * @param {string} [lang]
 * @returns {string}
 */
export function formatMoney(amount, currency, lang = 'en') {
  if (amount === null || amount === undefined) return '—';
  const text = String(amount);
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const [group, decimal] = lang === 'tr' ? ['.', ','] : [',', '.'];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const cents = (fraction + '00').slice(0, 2);
  return `${negative ? '-' : ''}${grouped}${decimal}${cents} ${String(currency ?? '').toUpperCase()}`.trim();
}
