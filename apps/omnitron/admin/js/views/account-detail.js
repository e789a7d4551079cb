// @ts-check
import { api, moneyRequests } from '../api.js';
import { field, h, mount, valueOf } from '../dom.js';
import { getLang, t } from '../i18n.js';
import { formatMoney, isPositive, normalizeAmount } from '../money.js';
import { busy, clearErrors, flash, formErrorBox, formatDate, loading, pager, showError, yesNo } from '../ui.js';
/** @import { LoyaltyAccount, LoyaltyTransfer, Page } from '../api.js' */
/** @import { RouteContext } from '../app.js' */

const ACTIVITY_PAGE_SIZE = 20;
/** The API's page maximum: the destination list shows at most this many accounts of the currency. */
const DESTINATIONS_MAX = 100;
const REASON_LENGTH_MAX = 255;

/**
 * Loyalty Account Detail: Account Information, Create Transfer, Adjust Balance and Account Activities.
 * @param {HTMLElement} main
 * @param {RouteContext} context
 */
export async function renderAccountDetail(main, context) {
  const { params, query, isCurrent } = context;
  const pk = params[0];
  mount(main, loading());
  const account = /** @type {LoyaltyAccount} */ (await api('GET', `loyalty_account/${pk}/`));
  if (!isCurrent()) return;
  const lang = getLang();
  /** @param {string} amount */
  const money = (amount) => formatMoney(amount, account.currency, lang);
  const reload = () => renderAccountDetail(main, context);

  const info = h(
    'section',
    { class: 'card', id: 'account-information' },
    h('h2', {}, t('account_information')),
    h(
      'div',
      { class: 'summary' },
      h(
        'div',
        { class: 'balance' },
        h('small', {}, t('balance')),
        h('strong', { id: 'account-balance' }, money(account.balance)),
      ),
      h(
        'dl',
        {},
        ...[
          [t('account_id'), account.number],
          [t('user_email'), account.user_email ?? '—'],
          [t('user_pk'), account.user ?? '—'],
          [t('currency'), account.currency.toUpperCase()],
          [t('debit_allowed'), yesNo(account.debit_allowed)],
          [t('created'), formatDate(account.created_date)],
          [t('modified'), formatDate(account.modified_date)],
        ].map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', {}, String(value)))),
      ),
    ),
  );

  const transfer = await transferSection(account, reload);
  if (!isCurrent()) return;
  const activities = h('section', { class: 'card', id: 'activities' }, h('h2', {}, t('activities')), loading());
  mount(
    main,
    h('p', {}, h('a', { href: '#/accounts' }, t('back_to_list'))),
    h('h1', {}, t('account_title', { number: account.number })),
    info,
    h('div', { class: 'columns' }, transfer, adjustSection(account, reload)),
    activities,
  );
  const page = /^\d{1,5}$/.test(query.page ?? '') ? Math.max(Number(query.page), 1) : 1;
  await renderActivities(activities, account, page, context);
}

/**
 * Create Transfer: to another customer account of the same currency.
 * @param {LoyaltyAccount} account
 * @param {() => Promise<void>} reload shows the account again (its new balance and activities)
 * @returns {Promise<HTMLElement>}
 */
async function transferSection(account, reload) {
  const send = moneyRequests();
  const candidates = /** @type {Page<LoyaltyAccount>} */ (
    await api('GET', 'loyalty_account/', {
      query: { currency: account.currency, page_size: DESTINATIONS_MAX },
    })
  );
  // Customer accounts only: the ledger's system accounts (BANK, SALE, REFUND) and invoice accounts have no user.
  const destinations = candidates.results.filter((other) => other.pk !== account.pk && other.user !== null);
  const lang = getLang();
  const select = h(
    'select',
    { name: 'destination_account', required: true },
    h('option', { value: '' }, t('choose_account')),
    destinations.map((other) =>
      h(
        'option',
        { value: other.pk },
        `${other.number} — ${other.user_email ?? '—'} (${formatMoney(other.balance, other.currency, lang)})`,
      ),
    ),
  );
  const form = h(
    'form',
    { id: 'transfer-form', novalidate: true },
    formErrorBox(),
    field(
      t('transfer_to'),
      select,
      destinations.length ? null : t('no_destinations', { currency: account.currency.toUpperCase() }),
    ),
    field(
      `${t('transfer_amount')} (${account.currency.toUpperCase()})`,
      h('input', { name: 'amount', inputmode: 'decimal', autocomplete: 'off', required: true, placeholder: '0.00' }),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('save'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    const destination = valueOf(form, 'destination_account');
    if (!/^\d+$/.test(destination)) {
      showError(form, t('destination_required'), 'destination_account');
      return;
    }
    const amount = normalizeAmount(valueOf(form, 'amount'));
    if (amount === null) {
      showError(form, t('amount_invalid'), 'amount');
      return;
    }
    if (!isPositive(amount)) {
      showError(form, t('amount_not_positive'), 'amount');
      return;
    }
    void busy(form, async () => {
      try {
        await send('POST', `loyalty_account/${account.pk}/create_transfer/`, {
          body: { amount, source_account: account.pk, destination_account: Number(destination) },
        });
        flash(t('transfer_done'));
        await reload();
      } catch (error) {
        showError(form, error);
      }
    });
  });
  return h('section', { class: 'card', id: 'create-transfer' }, h('h2', {}, t('create_transfer')), form);
}

/**
 * Adjust Balance: a new balance and the reason for it.
 * @param {LoyaltyAccount} account
 * @param {() => Promise<void>} reload
 * @returns {HTMLElement}
 */
function adjustSection(account, reload) {
  const send = moneyRequests();
  const form = h(
    'form',
    { id: 'adjust-form', novalidate: true },
    formErrorBox(),
    field(
      `${t('new_balance')} (${account.currency.toUpperCase()})`,
      h('input', { name: 'balance', inputmode: 'decimal', autocomplete: 'off', value: account.balance }),
    ),
    field(t('reason'), h('input', { name: 'reason', maxlength: REASON_LENGTH_MAX, required: true })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('save'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    const balance = normalizeAmount(valueOf(form, 'balance'), { signed: true });
    if (balance === null) {
      showError(form, t('amount_invalid'), 'balance');
      return;
    }
    const reason = valueOf(form, 'reason');
    if (!reason) {
      showError(form, t('reason_required'), 'reason');
      return;
    }
    void busy(form, async () => {
      try {
        await send('PATCH', `loyalty_account/${account.pk}/`, { body: { balance, reason } });
        flash(t('adjusted'));
        await reload();
      } catch (error) {
        showError(form, error);
      }
    });
  });
  return h(
    'section',
    { class: 'card', id: 'adjust-balance' },
    h('h2', {}, t('adjust_title')),
    h('p', { class: 'muted' }, t('adjust_intro')),
    form,
  );
}

/**
 * Account Activities: a page of the account's transfers.
 * @param {HTMLElement} section
 * @param {LoyaltyAccount} account
 * @param {number} page
 * @param {RouteContext} context
 */
async function renderActivities(section, account, page, { navigate, isCurrent }) {
  const result = /** @type {Page<LoyaltyTransfer>} */ (
    await api('GET', 'loyalty_transfer/', {
      query: { account: account.pk, page, page_size: ACTIVITY_PAGE_SIZE },
    })
  );
  if (!isCurrent()) return;
  const lang = getLang();
  const heading = h('h2', {}, t('activities'));
  if (result.results.length === 0) {
    mount(section, heading, h('p', { class: 'muted' }, t('nothing_found')));
    return;
  }
  const rows = result.results.map((transfer) =>
    h(
      'tr',
      { 'data-transfer': transfer.pk },
      h('td', { class: 'date' }, formatDate(transfer.created_date)),
      h('td', {}, t(`kind_${transfer.transaction.kind}`)),
      h('td', {}, orderLink(transfer.transaction.order)),
      h(
        'td',
        { class: `num money ${transfer.amount.startsWith('-') ? 'out' : 'in'}` },
        formatMoney(transfer.amount, transfer.currency, lang),
      ),
      h('td', { class: 'num money' }, formatMoney(transfer.balance_after, transfer.currency, lang)),
      h('td', {}, transfer.transaction.actor === null ? '—' : `#${transfer.transaction.actor}`),
      h(
        'td',
        {},
        transfer.transaction.kind === 'order_payment'
          ? h('a', { href: `#/refunds?tx=${encodeURIComponent(transfer.transaction.uuid)}` }, t('refund'))
          : null,
      ),
    ),
  );
  mount(
    section,
    heading,
    h(
      'table',
      { class: 'grid', id: 'activities-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [t('date'), t('kind'), t('order_number'), t('amount'), t('balance_after'), t('actor'), ''].map(
            (label, column) => h('th', { scope: 'col', class: [3, 4].includes(column) ? 'num' : null }, label),
          ),
        ),
      ),
      h('tbody', {}, rows),
    ),
    pager(page, ACTIVITY_PAGE_SIZE, result, (next) => navigate(`/accounts/${account.pk}`, { page: next })),
  );
}

/**
 * An order number of the store links to the Orders page filtered by it; anything else is shown as text.
 * @param {string} number the transaction's order ('' when it has none)
 * @returns {HTMLAnchorElement | string}
 */
function orderLink(number) {
  if (!number) return '—';
  return /^\d{1,16}$/.test(number) ? h('a', { href: `#/orders?number=${encodeURIComponent(number)}` }, number) : number;
}
