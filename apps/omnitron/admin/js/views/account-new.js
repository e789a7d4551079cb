// @ts-check
import { api, moneyRequests } from '../api.js';
import { field, h, mount, valueOf } from '../dom.js';
import { t } from '../i18n.js';
import { normalizeAmount } from '../money.js';
import { busy, clearErrors, formErrorBox, notifyNext, showError } from '../ui.js';
import { currencyList } from './accounts.js';
/** @import { LoyaltyAccount, Page, User } from '../api.js' */
/** @import { RouteContext } from '../app.js' */

/**
 * The body of POST loyalty_account/ (LoyaltyAccountCreateDto) as this form sends it; `number` only when typed.
 * @typedef {object} NewAccount
 * @property {number} user
 * @property {string} user_email
 * @property {string} balance
 * @property {boolean} debit_allowed
 * @property {string} currency
 * @property {string} [number]
 */

const LOOKUP_MIN_LENGTH = 3;
const LOOKUP_RESULTS_MAX = 10;
const LOOKUP_DELAY_MS = 250;
const EMAIL_LENGTH_MAX = 254;

/**
 * + New Loyalty Account: the guide's form. The e-mail is typed, the channel's users whose e-mail contains it are
 * listed, and picking one fills User Email and User PK.
 * @param {HTMLElement} main
 * @param {RouteContext} context
 */
export function renderAccountNew(main, { navigate }) {
  const send = moneyRequests();
  const email = h('input', {
    name: 'user_email',
    type: 'email',
    autocomplete: 'off',
    maxlength: EMAIL_LENGTH_MAX,
    required: true,
    'aria-autocomplete': 'list',
    'aria-controls': 'user-matches',
  });
  const userPk = h('input', { name: 'user', readonly: true, tabindex: -1, placeholder: '—' });
  const matches = h('ul', { id: 'user-matches', class: 'matches', role: 'listbox', hidden: true });
  const form = h(
    'form',
    { class: 'card', id: 'account-form', novalidate: true },
    formErrorBox(),
    field(t('account_id'), h('input', { name: 'number', maxlength: 128 }), t('account_id_hint')),
    field(t('user_pk'), userPk, t('user_pk_hint')),
    h('div', { class: 'picker' }, field(t('user_email'), email, t('user_email_hint')), matches),
    field(t('balance'), h('input', { name: 'balance', inputmode: 'decimal', value: '0.00' }), t('balance_hint')),
    field(
      t('debit_allowed'),
      h(
        'select',
        { name: 'debit_allowed' },
        h('option', { value: 'true', selected: true }, t('yes')),
        h('option', { value: 'false' }, t('no')),
      ),
      t('debit_hint'),
    ),
    field(
      t('currency'),
      h('input', { name: 'currency', maxlength: 3, list: 'currencies', required: true, value: 'try' }),
      t('currency_hint'),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('ok')),
      h('a', { class: 'button', href: '#/accounts' }, t('cancel')),
    ),
  );

  // The lookup: the newest answer wins; an older one that arrives late is dropped.
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let lookup = 0;
  email.addEventListener('input', () => {
    userPk.value = '';
    clearTimeout(timer);
    const text = email.value.trim();
    if (text.length < LOOKUP_MIN_LENGTH) {
      matches.hidden = true;
      return;
    }
    timer = setTimeout(() => void findUsers(text, ++lookup), LOOKUP_DELAY_MS);
  });

  /**
   * @param {string} text the typed part of the e-mail
   * @param {number} number this lookup's turn: only the latest one shows its answer
   */
  async function findUsers(text, number) {
    let page;
    try {
      page = /** @type {Page<User>} */ (
        await api('GET', 'users/', { query: { email__icontains: text, page_size: LOOKUP_RESULTS_MAX } })
      );
    } catch (error) {
      if (number === lookup) showError(form, error);
      return;
    }
    if (number !== lookup) return;
    const items = page.results.map((user) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            role: 'option',
            class: 'match',
            'data-email': user.email,
            onclick: () => {
              email.value = user.email;
              userPk.value = String(user.pk);
              matches.hidden = true;
              clearErrors(form);
            },
          },
          h('span', {}, user.email),
          h('small', {}, ` #${user.pk} ${[user.first_name, user.last_name].filter(Boolean).join(' ')}`),
        ),
      ),
    );
    mount(matches, items.length ? items : h('li', { class: 'muted' }, t('no_users')));
    matches.hidden = false;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!userPk.value) {
      showError(form, t('pick_user_first'), 'user_email');
      return;
    }
    const balance = normalizeAmount(valueOf(form, 'balance') || '0');
    if (balance === null) {
      showError(form, t('amount_invalid'), 'balance');
      return;
    }
    const currency = valueOf(form, 'currency').toLowerCase();
    if (!/^[a-z]{3}$/.test(currency)) {
      showError(form, t('currency_invalid'), 'currency');
      return;
    }
    /** @type {NewAccount} */
    const body = {
      user: Number(userPk.value),
      user_email: valueOf(form, 'user_email'),
      balance,
      debit_allowed: valueOf(form, 'debit_allowed') === 'true',
      currency,
    };
    const number = valueOf(form, 'number');
    if (number) body.number = number;
    void busy(form, async () => {
      try {
        const account = /** @type {LoyaltyAccount} */ (await send('POST', 'loyalty_account/', { body }));
        notifyNext(t('account_created'));
        navigate(`/accounts/${account.pk}`);
      } catch (error) {
        showError(form, error);
      }
    });
  });

  mount(
    main,
    h('p', {}, h('a', { href: '#/accounts' }, t('back_to_list'))),
    h('h1', {}, t('new_account_title')),
    currencyList(),
    form,
  );
}
