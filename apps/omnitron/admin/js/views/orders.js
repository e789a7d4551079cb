// @ts-check
import { api } from '../api.js';
import { field, h, mount, valueOf } from '../dom.js';
import { getLang, t } from '../i18n.js';
import { formatMoney } from '../money.js';
import { formErrorBox, formatDate, loading, pager, showError } from '../ui.js';
/** @import { Order, Page } from '../api.js' */
/** @import { RouteContext } from '../app.js' */
/** @import { Attrs } from '../dom.js' */

const PAGE_SIZE = 20;
const PAGE_MAX = 10_000;
const EMAIL_LENGTH_MAX = 254;
const NUMBER_LENGTH_MAX = 16;

/** The API's order statuses; `payment_review` (orders waiting for staff) comes first in the filter. */
export const ORDER_STATUSES = ['payment_review', 'pending', 'charging', 'charged', 'completed', 'cancelled'];

/**
 * An order's status as a labelled badge, e.g. "Payment review".
 * @param {string} status
 * @param {Attrs} [attrs] more attributes of the badge (its id)
 * @returns {HTMLSpanElement}
 */
export function statusBadge(status, attrs = {}) {
  return h('span', { ...attrs, class: `status status-${status}`, 'data-status': status }, statusLabel(status));
}

/**
 * @param {string} status
 * @returns {string} the status in the chosen language; a status the pages do not know, as the API wrote it
 */
export function statusLabel(status) {
  return ORDER_STATUSES.includes(status) ? t(`status_${status}`) : status;
}

const CANCEL_REASONS = ['card_declined', 'store_credit_refused', 'placement_unfinished', 'staff_cancelled'];

/**
 * Why a cancelled order was cancelled, e.g. "Card declined"; null for other orders.
 * @param {string | null | undefined} reason
 * @returns {string | null}
 */
export function cancelReasonLabel(reason) {
  if (!reason) return null;
  return CANCEL_REASONS.includes(reason) ? t(`cancel_${reason}`) : reason;
}

/**
 * The status badge, and for a cancelled order why (a failed attempt is marked: the customer does not see it).
 * @param {Order} order
 * @returns {HTMLSpanElement}
 */
export function statusCell(order) {
  const reason = cancelReasonLabel(order.cancel_reason);
  if (!reason) return statusBadge(order.status);
  return h(
    'span',
    {},
    statusBadge(order.status),
    ' ',
    h('small', { class: 'muted', 'data-cancel-reason': order.cancel_reason }, reason),
  );
}

/**
 * Orders: filters by status, order number and user e-mail, and a page of orders, newest first.
 * @param {HTMLElement} main
 * @param {RouteContext} context
 */
export async function renderOrders(main, { query, navigate, isCurrent }) {
  const page = /^\d{1,5}$/.test(query.page ?? '') ? Math.min(Math.max(Number(query.page), 1), PAGE_MAX) : 1;
  const filters = {
    user_email: query.user_email ?? '',
    status: ORDER_STATUSES.includes(query.status) ? query.status : '',
    number: query.number ?? '',
  };
  const form = h(
    'form',
    { class: 'filters card', id: 'order-filters', novalidate: true },
    field(
      t('filter_email'),
      h('input', { name: 'user_email', type: 'email', value: filters.user_email, maxlength: EMAIL_LENGTH_MAX }),
    ),
    field(
      t('status'),
      h(
        'select',
        { name: 'status' },
        h('option', { value: '' }, t('all_statuses')),
        ORDER_STATUSES.map((status) =>
          h('option', { value: status, selected: status === filters.status }, statusLabel(status)),
        ),
      ),
    ),
    field(
      t('order_number'),
      h('input', { name: 'number', value: filters.number, maxlength: NUMBER_LENGTH_MAX, inputmode: 'numeric' }),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('search')),
      h('button', { type: 'button', onclick: () => navigate('/orders') }, t('clear')),
    ),
    formErrorBox(),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate('/orders', {
      user_email: valueOf(form, 'user_email'),
      status: valueOf(form, 'status'),
      number: valueOf(form, 'number'),
    });
  });
  const results = h('div', { id: 'order-results' }, loading());
  const inReview = filters.status === 'payment_review';
  mount(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, t('orders_title')),
      h(
        'a',
        {
          class: inReview ? 'button' : 'button primary',
          href: inReview ? '#/orders' : '#/orders?status=payment_review',
          id: 'review-orders',
        },
        inReview ? t('all_orders') : t('orders_in_review'),
      ),
    ),
    form,
    results,
  );
  let result;
  try {
    result = /** @type {Page<Order>} */ (
      await api('GET', 'orders/', { query: { ...filters, page, page_size: PAGE_SIZE } })
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
  const rows = result.results.map((order) =>
    h(
      'tr',
      {
        class: 'clickable',
        'data-order': order.pk,
        onclick: (event) => {
          if (!(event.target instanceof HTMLAnchorElement)) navigate(`/orders/${order.pk}`);
        },
      },
      h('td', { class: 'ident' }, h('a', { href: `#/orders/${order.pk}` }, order.number)),
      h('td', {}, statusCell(order)),
      h('td', {}, order.user_email ?? '—'),
      h('td', { class: 'num money' }, formatMoney(order.amount, order.currency, lang)),
      h('td', { class: 'num money' }, formatMoney(order.loyalty_amount, order.currency, lang)),
      h('td', { class: 'num money' }, formatMoney(order.card_amount, order.currency, lang)),
      h('td', { class: 'date' }, formatDate(order.created_date)),
    ),
  );
  mount(
    results,
    h(
      'div',
      { class: 'card table-card' },
      h(
        'table',
        { class: 'grid', id: 'orders-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [
              t('order_number'),
              t('status'),
              t('user_email'),
              t('order_total'),
              t('store_credit'),
              t('card_amount'),
              t('created'),
            ].map((label, column) =>
              h('th', { scope: 'col', class: [3, 4, 5].includes(column) ? 'num' : null }, label),
            ),
          ),
        ),
        h('tbody', {}, rows),
      ),
      pager(page, PAGE_SIZE, result, (next) => navigate('/orders', { ...filters, page: next })),
    ),
  );
}
