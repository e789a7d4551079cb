// @ts-check
import { api } from '../api.js';
import { field, h, mount, valueOf } from '../dom.js';
import { getLang, t } from '../i18n.js';
import { formatMoney } from '../money.js';
import { busy, clearErrors, flash, formErrorBox, formatDate, loading, shortfallCell, showError } from '../ui.js';
import { cancelReasonLabel, statusBadge } from './orders.js';
/** @import { OrderDetail, PaymentOption } from '../api.js' */
/** @import { RouteContext } from '../app.js' */
/** @import { Child } from '../dom.js' */

/**
 * A row of `facts`: the data-fact key, the label and the value (text, a node, or nothing for a dash).
 * @typedef {[key: string, label: string, value: Child]} Fact
 */
/**
 * An amount of the order's currency as shown ("1,234.50 TRY").
 * @typedef {(amount: string) => string} Money
 */

/** The API's limit on a settlement's reason. */
const SETTLE_REASON_LENGTH_MAX = 500;
const SETTLE_ACTIONS = ['complete', 'cancel'];
const CHARGE_STATUSES = ['approved', 'declined', 'voided'];
const PAYMENT_OPTIONS = ['credit_card', 'loyalty_money'];

/**
 * Order detail: the order (amounts, items), its payment state (card charge, ledger payment, review reason,
 * settlement), its loyalty transactions and, for an order in payment_review only, the form that settles it.
 * @param {HTMLElement} main
 * @param {RouteContext} context
 */
export async function renderOrderDetail(main, context) {
  const pk = context.params[0];
  mount(main, loading());
  const order = /** @type {OrderDetail} */ (await api('GET', `orders/${pk}/`));
  if (!context.isCurrent()) return;
  showOrder(main, order, context);
}

/**
 * Renders `order` (the API's detail); settling renders the detail the API answers with.
 * @param {HTMLElement} main
 * @param {OrderDetail} order
 * @param {RouteContext} context
 */
function showOrder(main, order, context) {
  const lang = getLang();
  /** @type {Money} */
  const money = (amount) => formatMoney(amount, order.currency, lang);
  mount(
    main,
    h('p', {}, h('a', { href: '#/orders' }, t('back_to_orders'))),
    h(
      'h1',
      {},
      t('order_title', { number: order.number }),
      ' ',
      statusBadge(order.status, { id: 'order-heading-status' }),
    ),
    infoSection(order, money),
    h(
      'div',
      { class: 'columns' },
      paymentSection(order, money),
      order.status === 'payment_review'
        ? settleSection(order, (settled) => {
            if (context.isCurrent()) showOrder(main, settled, context);
          })
        : null,
    ),
    itemsSection(order, money),
    transactionsSection(order, lang),
  );
}

/**
 * A definition list of [key, label, value] rows (null rows are left out); `value` is text or a node. Each row is
 * findable by data-fact.
 * @param {(Fact | null)[]} rows
 * @returns {HTMLDListElement}
 */
function facts(rows) {
  return h(
    'dl',
    {},
    .../** @type {Fact[]} */ (rows.filter(Boolean)).map(([key, label, value]) =>
      h(
        'div',
        { 'data-fact': key },
        h('dt', {}, label),
        h('dd', {}, value === null || value === undefined || value === '' ? '—' : value),
      ),
    ),
  );
}

/**
 * Order Information: the total, the status and the order's facts.
 * @param {OrderDetail} order
 * @param {Money} money
 */
function infoSection(order, money) {
  /** @type {Partial<PaymentOption>} */
  const option = order.payment_option ?? {};
  const card = order.card_last4
    ? `${String(order.card_type ?? '').toUpperCase()} •••• ${order.card_last4}`.trim()
    : null;
  return h(
    'section',
    { class: 'card', id: 'order-information' },
    h('h2', {}, t('order_information')),
    h(
      'div',
      { class: 'summary' },
      h(
        'div',
        { class: 'balance' },
        h('small', {}, t('order_total')),
        h('strong', { id: 'order-total' }, money(order.amount)),
      ),
      facts([
        ['number', t('order_number'), order.number],
        ['status', t('status'), statusBadge(order.status, { id: 'order-status' })],
        order.cancel_reason
          ? [
              'cancel_reason',
              t('cancel_reason'),
              [
                cancelReasonLabel(order.cancel_reason),
                order.cancel_detail ? ` (${order.cancel_detail})` : '',
                order.cancel_reason === 'staff_cancelled' ? '' : ` — ${t('attempt_hidden')}`,
              ].join(''),
            ]
          : null,
        [
          'user_email',
          t('user_email'),
          order.user_email
            ? h('a', { href: `#/accounts?user_email=${encodeURIComponent(order.user_email)}` }, order.user_email)
            : null,
        ],
        ['user', t('user_pk'), order.user === null || order.user === undefined ? null : String(order.user)],
        [
          'payment_option',
          t('payment_option'),
          option.slug !== undefined && PAYMENT_OPTIONS.includes(option.slug)
            ? t(`payment_${option.slug}`)
            : (option.name ?? option.slug),
        ],
        ['loyalty_amount', t('store_credit'), money(order.loyalty_amount)],
        ['card_amount', t('card_amount'), money(order.card_amount)],
        ['interest_amount', t('interest_amount'), money(order.interest_amount)],
        ['installment_count', t('installments'), String(order.installment_count)],
        ['card', t('card'), card],
        ['created', t('created'), formatDate(order.created_date)],
        ['modified', t('modified'), formatDate(order.modified_date)],
      ]),
    ),
  );
}

/**
 * Payment State: the card charge, the store-credit payment and the settlement.
 * @param {OrderDetail} order
 * @param {Money} money
 */
function paymentSection(order, money) {
  const {
    card_charge: charge,
    loyalty_payment_uuid: paymentUuid,
    review_reason: reviewReason,
    settlement,
  } = order.payment;
  return h(
    'section',
    { class: 'card', id: 'payment-state' },
    h('h2', {}, t('payment_state')),
    h('h3', {}, t('card_charge')),
    charge
      ? facts([
          [
            'charge_status',
            t('charge_status'),
            h(
              'span',
              { class: `status charge-${charge.status}` },
              CHARGE_STATUSES.includes(charge.status) ? t(`charge_${charge.status}`) : charge.status,
            ),
          ],
          ['charge_amount', t('charge_amount'), money(charge.amount)],
          ['charge_reference', t('charge_reference'), charge.reference ? h('code', {}, charge.reference) : null],
          ['charge_gateway', t('charge_gateway'), charge.gateway],
          charge.decline_reason ? ['decline_reason', t('decline_reason'), charge.decline_reason] : null,
        ])
      : h('p', { class: 'muted', 'data-fact': 'no_charge' }, t('no_card_charge')),
    h('h3', {}, t('store_credit_payment')),
    facts([
      [
        'loyalty_payment_uuid',
        t('ledger_payment_uuid'),
        paymentUuid ? h('code', {}, paymentUuid) : t('no_ledger_payment'),
      ],
      ['review_reason', t('review_reason'), reviewReason],
    ]),
    h('h3', {}, t('settlement')),
    settlement
      ? facts([
          ['settled_action', t('settle_action'), t(`settled_${settlement.action}`)],
          ['settled_reason', t('reason'), settlement.reason],
          ['settled_by', t('settled_by'), t('staff_user', { id: settlement.settled_by })],
          ['settled_at', t('settled_at'), formatDate(settlement.settled_at)],
        ])
      : h('p', { class: 'muted', 'data-fact': 'not_settled' }, t('not_settled')),
  );
}

/**
 * The settle form of an order in payment_review: complete or cancel it, with a reason.
 * @param {OrderDetail} order
 * @param {(settled: OrderDetail) => void} onSettled gets the settled order the API answers with
 */
function settleSection(order, onSettled) {
  /** @param {string} action */
  const choice = (action) =>
    h(
      'label',
      { class: 'choice' },
      h('input', { type: 'radio', name: 'action', value: action, required: true }),
      h('span', {}, h('strong', {}, t(`settle_${action}`)), h('small', {}, t(`settle_${action}_hint`))),
    );
  const form = h(
    'form',
    { id: 'settle-form', novalidate: true },
    formErrorBox(),
    h(
      'fieldset',
      { class: 'field choices' },
      h('legend', {}, t('settle_action')),
      SETTLE_ACTIONS.map(choice),
      h('div', { class: 'field-error', 'data-error-for': 'action' }),
    ),
    field(
      t('reason'),
      h('textarea', { name: 'reason', rows: 3, maxlength: SETTLE_REASON_LENGTH_MAX, required: true }),
      t('settle_reason_hint', { max: SETTLE_REASON_LENGTH_MAX }),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('settle_submit'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    const checked = /** @type {HTMLInputElement | null} */ (form.querySelector('input[name=action]:checked'));
    const action = checked?.value ?? '';
    if (!SETTLE_ACTIONS.includes(action)) {
      showError(form, t('settle_action_required'), 'action');
      return;
    }
    const reason = valueOf(form, 'reason');
    if (!reason) {
      showError(form, t('settle_reason_required'), 'reason');
      return;
    }
    if (reason.length > SETTLE_REASON_LENGTH_MAX) {
      showError(form, t('settle_reason_too_long', { max: SETTLE_REASON_LENGTH_MAX }), 'reason');
      return;
    }
    void busy(form, async () => {
      try {
        // No Idempotency-Key: settling is a compare-and-set from payment_review, a repeat answers 409.
        const settled = /** @type {OrderDetail} */ (
          await api('POST', `orders/${order.pk}/settle/`, { body: { action, reason } })
        );
        flash(t(action === 'complete' ? 'order_completed' : 'order_cancelled', { number: settled.number }));
        onSettled(settled);
      } catch (error) {
        showError(form, error);
      }
    });
  });
  return h(
    'section',
    { class: 'card', id: 'settle-order' },
    h('h2', {}, t('settle_title')),
    h('p', { class: 'muted' }, t('settle_intro')),
    form,
  );
}

/**
 * Order Items: the lines as they were bought.
 * @param {OrderDetail} order
 * @param {Money} money
 */
function itemsSection(order, money) {
  const items = Array.isArray(order.orderitem_set) ? order.orderitem_set : [];
  const heading = h('h2', {}, t('order_items'));
  if (items.length === 0) {
    return h('section', { class: 'card', id: 'order-items' }, heading, h('p', { class: 'muted' }, t('nothing_found')));
  }
  return h(
    'section',
    { class: 'card', id: 'order-items' },
    heading,
    h(
      'table',
      { class: 'grid', id: 'items-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [t('sku'), t('product_name'), t('quantity'), t('unit_price'), t('line_total')].map((label, column) =>
            h('th', { scope: 'col', class: column >= 2 ? 'num' : null }, label),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        items.map((item) =>
          h(
            'tr',
            {},
            h('td', {}, h('code', {}, String(item.sku ?? '—'))),
            h('td', {}, String(item.name ?? '—')),
            h('td', { class: 'num' }, String(item.quantity ?? '—')),
            h('td', { class: 'num money' }, money(item.unit_price)),
            h('td', { class: 'num money' }, money(item.total_amount)),
          ),
        ),
      ),
    ),
  );
}

/**
 * The order's loyalty transactions; once the order is completed, its store-credit payment has a Refund link.
 * @param {OrderDetail} order
 * @param {string} lang
 */
function transactionsSection(order, lang) {
  const transactions = order.loyalty_transactions ?? [];
  const heading = h('h2', {}, t('order_transactions'));
  if (transactions.length === 0) {
    return h(
      'section',
      { class: 'card', id: 'order-transactions' },
      heading,
      h('p', { class: 'muted' }, t('no_transactions')),
    );
  }
  return h(
    'section',
    { class: 'card', id: 'order-transactions' },
    heading,
    h(
      'table',
      { class: 'grid', id: 'order-transactions-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [t('date'), t('kind'), t('amount'), t('earning_shortfall'), 'UUID', ''].map((label, column) =>
            h('th', { scope: 'col', class: column === 2 || column === 3 ? 'num' : null }, label),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        transactions.map((tx) =>
          h(
            'tr',
            { 'data-transaction': tx.uuid, 'data-kind': tx.kind },
            h('td', { class: 'date' }, formatDate(tx.created_date)),
            h('td', {}, t(`kind_${tx.kind}`)),
            h('td', { class: 'num money' }, formatMoney(tx.amount, tx.currency, lang)),
            shortfallCell(tx, lang),
            h('td', {}, h('code', {}, tx.uuid)),
            h(
              'td',
              {},
              tx.kind === 'order_payment' && order.status === 'completed'
                ? h('a', { href: `#/refunds?tx=${encodeURIComponent(tx.uuid)}` }, t('refund'))
                : null,
            ),
          ),
        ),
      ),
    ),
  );
}
