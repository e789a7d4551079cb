// @ts-check
import { api, session } from '../api.js';
import { field, h, valueOf } from '../dom.js';
import { t } from '../i18n.js';
import { busy, formErrorBox, languageSelect, showError } from '../ui.js';
/** @import { StaffToken } from '../api.js' */

/**
 * The sign-in page: a staff username and password for a token (POST /api/v1/auth/login/).
 * @param {() => void} onSignedIn
 * @returns {HTMLDivElement}
 */
export function renderLogin(onSignedIn) {
  const form = h(
    'form',
    { class: 'card login', id: 'login-form', novalidate: true },
    h('h1', {}, t('sign_in_title')),
    formErrorBox(),
    field(t('username'), h('input', { name: 'username', autocomplete: 'username', required: true, maxlength: 150 })),
    field(
      t('password'),
      h('input', {
        name: 'password',
        type: 'password',
        autocomplete: 'current-password',
        required: true,
        maxlength: 128,
      }),
    ),
    field(
      t('channel'),
      h('input', { name: 'channel', type: 'number', min: 1, step: 1, value: session.channel, required: true }),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('sign_in'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(form, async () => {
      const channel = valueOf(form, 'channel');
      if (/^\d{1,10}$/.test(channel) && Number(channel) >= 1) session.channel = channel;
      try {
        // The password as typed (valueOf would trim it).
        const password = /** @type {HTMLInputElement} */ (form.elements.namedItem('password')).value;
        const result = /** @type {StaffToken} */ (
          await api('POST', '/api/v1/auth/login/', {
            auth: false,
            body: { username: valueOf(form, 'username'), password },
          })
        );
        session.token = result.key;
        onSignedIn();
      } catch (error) {
        showError(form, error);
      }
    });
  });
  const language = languageSelect(() => {
    location.reload();
  });
  return h(
    'div',
    { class: 'login-page' },
    h('div', { class: 'login-head' }, h('span', { class: 'brand' }, t('app_title')), language),
    h('div', { id: 'flash', class: 'flash-area' }),
    form,
  );
}
