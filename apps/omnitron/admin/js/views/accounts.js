// @ts-check
import { api } from '../api.js';
import { field, h, mount, valueOf } from '../dom.js';
import { getLang, t } from '../i18n.js';
import { formatMoney } from '../money.js';
import { formErrorBox, formatDate, loading, pager, showError, yesNo } from '../ui.js';
/** @import { LoyaltyAccount, Page } from '../api.js' */
/** @import { RouteContext } from '../app.js' */

const PAGE_SIZE = 20;
const PAGE_MAX = 10_000;

/**
 * Loyalty Accounts: filters by e-mail, currency and account id, a page of accounts, and the add button.
 * @param {HTMLElement} main
 * @param {RouteContext} context
 */
export async function renderAccounts(main, { query, navigate, isCurrent }) {
  const page = /^\d{1,5}$/.test(query.page ?? '') ? Math.min(Math.max(Number(query.page), 1), PAGE_MAX) : 1;
  const filters = { user_email: query.user_email ?? '', currency: query.currency ?? '', number: query.number ?? '' };
  const form = h(
    'form',
    { class: 'filters card', id: 'account-filters', novalidate: true },
    field(
      t('filter_email'),
      h('input', { name: 'user_email', type: 'email', value: filters.user_email, maxlength: 254 }),
    ),
    field(
      t('filter_currency'),
      h('input', { name: 'currency', value: filters.currency, maxlength: 3, size: 4, list: 'currencies' }),
    ),
    field(t('filter_number'), h('input', { name: 'number', value: filters.number, maxlength: 128 })),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('search')),
      h('button', { type: 'button', onclick: () => navigate('/accounts') }, t('clear')),
    ),
    formErrorBox(),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate('/accounts', {
      user_email: valueOf(form, 'user_email'),
      currency: valueOf(form, 'currency').toLowerCase(),
      number: valueOf(form, 'number'),
    });
  });
  const results = h('div', { id: 'account-results' }, loading());
  mount(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, t('accounts_title')),
      h('a', { class: 'button primary', href: '#/accounts/new', id: 'new-account' }, t('new_account')),
    ),
    currencyList(),
    form,
    results,
  );
  let result;
  try {
    result = /** @type {Page<LoyaltyAccount>} */ (
      await api('GET', 'loyalty_account/', {
        query: { ...filters, page, page_size: PAGE_SIZE, ordering: '-pk' },
      })
    );
  } catch (error) {
    mount(results);
    showError(form, error);
    return;
  }
  if (!isCurrent()) return;
  if (result.results.length === 0) {
    mount(results, h('p', { class: 'muted card' }, t('nothing_found')));
    return;
  }
  const lang = getLang();
  const rows = result.results.map((account) =>
    h(
      'tr',
      {
        class: 'clickable',
        'data-account': account.pk,
        onclick: (event) => {
          if (!(event.target instanceof HTMLAnchorElement)) navigate(`/accounts/${account.pk}`);
        },
      },
      h('td', { class: 'ident' }, h('a', { href: `#/accounts/${account.pk}` }, account.number)),
      h('td', {}, account.user_email ?? '—'),
      h('td', { class: 'num' }, account.user ?? '—'),
      h('td', { class: 'num money' }, formatMoney(account.balance, account.currency, lang)),
      h('td', {}, yesNo(account.debit_allowed)),
      h('td', {}, account.currency.toUpperCase()),
      h('td', { class: 'date' }, formatDate(account.created_date)),
    ),
  );
  mount(
    results,
    h(
      'div',
      { class: 'card table-card' },
      h(
        'table',
        { class: 'grid', id: 'accounts-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [
              t('account_id'),
              t('user_email'),
              t('user_pk'),
              t('balance'),
              t('debit_allowed'),
              t('currency'),
              t('created'),
            ].map((label, column) => h('th', { scope: 'col', class: [2, 3].includes(column) ? 'num' : null }, label)),
          ),
        ),
        h('tbody', {}, rows),
      ),
      pager(page, PAGE_SIZE, result, (next) => navigate('/accounts', { ...filters, page: next })),
    ),
  );
}

/** Suggestions for currency inputs; any three-letter code may still be typed. */
export function currencyList() {
  return h(
    'datalist',
    { id: 'currencies' },
    ['try', 'usd', 'eur'].map((code) => h('option', { value: code })),
  );
}
