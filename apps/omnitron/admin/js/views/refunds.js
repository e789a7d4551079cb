// @ts-check
import { api, moneyRequests } from '../api.js';
import { field, h, mount, valueOf } from '../dom.js';
import { getLang, t } from '../i18n.js';
import { formatMoney, isPositive, normalizeAmount } from '../money.js';
import { busy, clearErrors, flash, formErrorBox, formatDate, shortfallCell, showError } from '../ui.js';
/** @import { LoyaltyRefund, LoyaltyTransaction, Page } from '../api.js' */
/** @import { RouteContext } from '../app.js' */

/**
 * What a refund form's `prepare` answers: the field at fault and why, or the endpoint and the body's own fields
 * (the amount and the invoice number are added to it).
 * @typedef {{ field: string, message: string } | { path: string, body: Record<string, string> }} RefundRequest
 */

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ORDER_LENGTH_MAX = 64;
const INVOICE_LENGTH_MAX = 128;
const TRANSACTIONS_MAX = 50;

/**
 * Refunds: find an order's transactions, refund a store-credit payment (a transaction), or cross-refund an order
 * paid by any method. `?tx=<uuid>` (the Refund link of an account's activity) fills in the transaction.
 * @param {HTMLElement} main
 * @param {RouteContext} context
 */
export function renderRefunds(main, { query }) {
  const refundForm = amountForm('refund-form', [
    field(
      t('transaction_uuid'),
      h('input', { name: 'transaction_uuid', value: query.tx ?? '', maxlength: 36, required: true }),
    ),
  ]);
  const crossForm = amountForm('cross-refund-form', [
    field(
      t('order_number'),
      h('input', { name: 'order_number', value: query.order ?? '', maxlength: ORDER_LENGTH_MAX, required: true }),
    ),
  ]);
  const found = h('div', { id: 'order-transactions' });
  const finder = h(
    'form',
    { id: 'find-form', class: 'inline-form', novalidate: true },
    formErrorBox(),
    field(t('order_number'), h('input', { name: 'order', value: query.order ?? '', maxlength: ORDER_LENGTH_MAX })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('search'))),
  );

  async function find() {
    clearErrors(finder);
    const order = valueOf(finder, 'order');
    if (!order) {
      showError(finder, t('order_required'), 'order');
      return;
    }
    try {
      const page = /** @type {Page<LoyaltyTransaction>} */ (
        await api('GET', 'loyalty-transactions/', { query: { order, page_size: TRANSACTIONS_MAX } })
      );
      showTransactions(page.results);
    } catch (error) {
      showError(finder, error);
    }
  }

  /** @param {LoyaltyTransaction[]} transactions */
  function showTransactions(transactions) {
    if (transactions.length === 0) {
      mount(found, h('p', { class: 'muted' }, t('nothing_found')));
      return;
    }
    const lang = getLang();
    mount(
      found,
      h(
        'table',
        { class: 'grid' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [t('date'), t('kind'), t('amount'), t('earning_shortfall'), t('user'), 'UUID', ''].map((label, column) =>
              h('th', { scope: 'col', class: [2, 3].includes(column) ? 'num' : null }, label),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          transactions.map((tx) =>
            h(
              'tr',
              {},
              h('td', { class: 'date' }, formatDate(tx.created_date)),
              h('td', {}, t(`kind_${tx.kind}`)),
              h('td', { class: 'num money' }, formatMoney(tx.amount, tx.currency, lang)),
              shortfallCell(tx, lang),
              h('td', {}, tx.user_email ?? '—'),
              h('td', {}, h('code', {}, tx.uuid)),
              h(
                'td',
                {},
                tx.kind === 'order_payment'
                  ? h(
                      'button',
                      {
                        type: 'button',
                        class: 'link',
                        onclick: () => {
                          const uuid = /** @type {HTMLInputElement} */ (
                            refundForm.elements.namedItem('transaction_uuid')
                          );
                          uuid.value = tx.uuid;
                          /** @type {HTMLInputElement} */ (refundForm.elements.namedItem('amount')).focus();
                        },
                      },
                      t('use_for_refund'),
                    )
                  : null,
              ),
            ),
          ),
        ),
      ),
    );
  }

  finder.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(finder, find);
  });

  submitAmountForm(refundForm, (form) => {
    const uuid = valueOf(form, 'transaction_uuid');
    if (!UUID_PATTERN.test(uuid)) return { field: 'transaction_uuid', message: t('uuid_invalid') };
    return { path: 'loyalty-transactions/refund/', body: { transaction_uuid: uuid } };
  });
  submitAmountForm(crossForm, (form) => {
    const order = valueOf(form, 'order_number');
    if (!order) return { field: 'order_number', message: t('order_required') };
    return { path: 'loyalty-transactions/cross-refund/', body: { order_number: order } };
  });

  mount(
    main,
    h('h1', {}, t('refunds_title')),
    h('section', { class: 'card' }, h('h2', {}, t('find_transactions')), finder, found),
    h(
      'div',
      { class: 'columns' },
      h(
        'section',
        { class: 'card' },
        h('h2', {}, t('refund_transaction')),
        h('p', { class: 'muted' }, t('refund_transaction_intro')),
        refundForm,
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, t('cross_refund')),
        h('p', { class: 'muted' }, t('cross_refund_intro')),
        crossForm,
      ),
    ),
  );
  if (query.order) void busy(finder, find);
}

/**
 * A refund form: `fields` (what names the payment), then the amount and the invoice number.
 * @param {string} id
 * @param {HTMLElement[]} fields
 * @returns {HTMLFormElement}
 */
function amountForm(id, fields) {
  return h(
    'form',
    { id, novalidate: true },
    formErrorBox(),
    ...fields,
    field(t('amount'), h('input', { name: 'amount', inputmode: 'decimal', autocomplete: 'off', required: true })),
    field(t('invoice_number'), h('input', { name: 'invoice_number', maxlength: INVOICE_LENGTH_MAX })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('refund'))),
  );
}

/**
 * `prepare(form)` checks the form's own fields and names the endpoint and body, or names the field at fault.
 * @param {HTMLFormElement} form
 * @param {(form: HTMLFormElement) => RefundRequest} prepare
 */
function submitAmountForm(form, prepare) {
  const send = moneyRequests();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    const request = prepare(form);
    if ('message' in request) {
      showError(form, request.message, request.field);
      return;
    }
    const amount = normalizeAmount(valueOf(form, 'amount'));
    if (amount === null || !isPositive(amount)) {
      showError(form, amount === null ? t('amount_invalid') : t('amount_not_positive'), 'amount');
      return;
    }
    const invoice = valueOf(form, 'invoice_number');
    const body = { ...request.body, amount, ...(invoice ? { invoice_number: invoice } : {}) };
    void busy(form, async () => {
      try {
        const result = /** @type {LoyaltyRefund} */ (await send('POST', request.path, { body }));
        form.reset();
        // The refund's answer has no currency: the transaction it created does.
        const created = /** @type {LoyaltyTransaction} */ (
          await api('GET', `loyalty-transactions/${encodeURIComponent(result.uuid)}/`)
        );
        const amount = formatMoney(created.amount, created.currency, getLang());
        flash(t('refunded', { amount, email: result.user_email ?? result.reference ?? '—' }));
      } catch (error) {
        showError(form, error);
      }
    });
  });
}
