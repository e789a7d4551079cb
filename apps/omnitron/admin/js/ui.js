// @ts-check
// Shared pieces of the screens: notifications, form errors, paging, dates.
import { h } from './dom.js';
import { LANGUAGES, getLang, setLang, t } from './i18n.js';
import { formatMoney } from './money.js';
/** @import { Page } from './api.js' */

const FLASH_MS = 4000;

/**
 * A notification at the top of the page; success notices disappear by themselves, errors stay.
 * @param {string} message
 * @param {'success' | 'info' | 'error'} [kind]
 */
export function flash(message, kind = 'success') {
  const area = document.getElementById('flash');
  if (!area) return;
  const note = h('div', { class: `flash ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  area.replaceChildren(note);
  if (kind !== 'error') setTimeout(() => note.remove(), FLASH_MS);
}

const NOTICE_KEY = 'loyalty-admin.notice';

/**
 * A success notice for the next page shown (the current one is about to be replaced).
 * @param {string} message
 */
export function notifyNext(message) {
  sessionStorage.setItem(NOTICE_KEY, message);
}

/** Shows the notice left by notifyNext, once. */
export function showPendingNotice() {
  const message = sessionStorage.getItem(NOTICE_KEY);
  sessionStorage.removeItem(NOTICE_KEY);
  if (message) flash(message);
}

/** A form's error box (role=alert) for the API's detail, plus each field's own message under the field. */
export function formErrorBox() {
  return h('div', { class: 'form-error', role: 'alert', hidden: true });
}

/** @param {HTMLFormElement} form */
export function clearErrors(form) {
  for (const node of form.querySelectorAll('.field-error')) node.textContent = '';
  const box = /** @type {HTMLElement | null} */ (form.querySelector('.form-error'));
  if (box) {
    box.textContent = '';
    box.hidden = true;
  }
}

/**
 * Shows an error in the form: `error` is an ApiError (detail + field_errors from the API, already in the user's
 * language) or a plain message from the page's own checks, with `fieldName` naming the field it belongs to.
 * @param {HTMLFormElement} form
 * @param {unknown} error what a catch caught (an ApiError, or another Error), or the page's message
 * @param {string} [fieldName]
 */
export function showError(form, error, fieldName) {
  clearErrors(form);
  const box = /** @type {HTMLElement | null} */ (form.querySelector('.form-error'));
  /** @type {Record<string, unknown>} */
  const fieldErrors =
    error && typeof error === 'object' && 'fieldErrors' in error && error.fieldErrors ? { ...error.fieldErrors } : {};
  const detail = typeof error === 'string' ? error : /** @type {Error} */ (error).message;
  if (fieldName) fieldErrors[fieldName] = [detail];
  const unplaced = [];
  const placed = [];
  for (const [name, messages] of Object.entries(fieldErrors)) {
    const slot = form.querySelector(`.field-error[data-error-for="${CSS.escape(name)}"]`);
    const text = Array.isArray(messages) ? messages.join(' ') : String(messages);
    if (slot) {
      slot.textContent = text;
      placed.push(text);
    } else unplaced.push(`${name}: ${text}`);
  }
  // The box repeats nothing already shown under a field.
  if (box && (unplaced.length > 0 || !placed.includes(detail))) {
    box.replaceChildren(h('strong', {}, detail), ...unplaced.map((line) => h('div', {}, line)));
    box.hidden = false;
  }
}

/**
 * Disables the form's buttons while `work` runs, so one click sends one request.
 * @template T
 * @param {HTMLFormElement} form
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
export async function busy(form, work) {
  const buttons = [...form.querySelectorAll('button')];
  for (const button of buttons) button.disabled = true;
  try {
    return await work();
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

/**
 * @param {string | null | undefined} iso an ISO 8601 date-time; shown as it is when it is no date, a dash when empty
 * @returns {string}
 */
export function formatDate(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(getLang() === 'tr' ? 'tr-TR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * Previous/next links for a `{count, next, previous}` page; `go(page)` shows another page.
 * @param {number} page
 * @param {number} pageSize
 * @param {Page<unknown>} result
 * @param {(page: number) => void} go
 */
export function pager(page, pageSize, result, go) {
  const pages = Math.max(1, Math.ceil(result.count / pageSize));
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'pages' },
    h(
      'button',
      { type: 'button', class: 'link', disabled: !result.previous, onclick: () => go(page - 1) },
      t('previous'),
    ),
    h('span', {}, t('page_of', { page, pages, count: result.count })),
    h('button', { type: 'button', class: 'link', disabled: !result.next, onclick: () => go(page + 1) }, t('next')),
  );
}

/** @param {boolean} value */
export function yesNo(value) {
  return value ? t('yes') : t('no');
}

export function loading() {
  return h('p', { class: 'muted' }, t('loading'));
}

/**
 * The language picker: stores the choice, then `afterChange` shows the pages in it.
 * @param {() => void} afterChange
 */
export function languageSelect(afterChange) {
  return h(
    'select',
    {
      id: 'language',
      'aria-label': t('language'),
      onchange: (event) => {
        setLang(/** @type {HTMLSelectElement} */ (event.target).value);
        afterChange();
      },
    },
    LANGUAGES.map(({ code, label }) => h('option', { value: code, selected: code === getLang() }, label)),
  );
}

/**
 * What of the order's earned store credit a refund could not take back (the customer had spent it): the amount,
 * marked, with the explanation as its title; a dash when nothing was short.
 * @param {{ earning_shortfall: string, currency: string }} tx a LoyaltyTransaction or an OrderTransaction
 * @param {string} lang
 */
export function shortfallCell(tx, lang) {
  const short = Number(tx.earning_shortfall ?? 0) > 0;
  if (!short) return h('td', { class: 'num muted' }, '—');
  const amount = formatMoney(tx.earning_shortfall, tx.currency, lang);
  return h(
    'td',
    {
      class: 'num money shortfall',
      'data-shortfall': tx.earning_shortfall,
      title: t('earning_shortfall_note', { amount }),
    },
    amount,
  );
}
