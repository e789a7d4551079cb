// @ts-check
// The back office: a hash-routed single page over the omnitron admin API. No build step, no third-party code.
import { api, session, setUnauthorizedHandler } from './api.js';
import { h, mount } from './dom.js';
import { getLang, t } from './i18n.js';
import { flash, languageSelect, showPendingNotice } from './ui.js';
import { renderLogin } from './views/login.js';
import { renderSettings } from './views/settings.js';
import { renderAccounts } from './views/accounts.js';
import { renderAccountNew } from './views/account-new.js';
import { renderAccountDetail } from './views/account-detail.js';
import { renderRefunds } from './views/refunds.js';
import { renderOrders } from './views/orders.js';
import { renderOrderDetail } from './views/order-detail.js';

/**
 * What every page's render function gets beside its `main` element.
 * @typedef {object} RouteContext
 * @property {string[]} params the route pattern's groups (an account's or an order's pk)
 * @property {Record<string, string>} query the hash's query (`#/accounts?page=2`)
 * @property {(path: string, query?: NavigateQuery) => void} navigate goes to another page (`navigate` below)
 * @property {() => boolean} isCurrent false once the user has moved to another page (a late answer is dropped)
 */
/**
 * A page's query as `navigate` takes it: numbers are written as text, empty values are left out.
 * @typedef {Record<string, string | number | null | undefined>} NavigateQuery
 */

/** @type {{ pattern: RegExp, nav: string, render: (main: HTMLElement, context: RouteContext) => unknown }[]} */
const ROUTES = [
  { pattern: /^\/settings$/, nav: 'settings', render: renderSettings },
  { pattern: /^\/accounts$/, nav: 'accounts', render: renderAccounts },
  { pattern: /^\/accounts\/new$/, nav: 'accounts', render: renderAccountNew },
  { pattern: /^\/accounts\/(\d{1,10})$/, nav: 'accounts', render: renderAccountDetail },
  { pattern: /^\/orders$/, nav: 'orders', render: renderOrders },
  { pattern: /^\/orders\/(\d{1,10})$/, nav: 'orders', render: renderOrderDetail },
  { pattern: /^\/refunds$/, nav: 'refunds', render: renderRefunds },
];

/** `#/accounts?page=2` -> { path: '/accounts', query: { page: '2' } } */
function currentRoute() {
  const hash = location.hash.replace(/^#/, '') || '/accounts';
  const [path, search = ''] = hash.split('?');
  return { path, query: Object.fromEntries(new URLSearchParams(search)) };
}

/**
 * Goes to `path` with `query` (empty values left out); the hashchange listener renders it.
 * @param {string} path
 * @param {NavigateQuery} [query]
 */
export function navigate(path, query = {}) {
  const search = new URLSearchParams(
    Object.entries(query)
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([name, v]) => [name, String(v)]),
  );
  const hash = `#${path}${search.size ? `?${search}` : ''}`;
  if (location.hash === hash) void render();
  else location.hash = hash;
}

/**
 * The page's frame: the top bar (navigation, channel, language, sign-out), the notices and the `main` a page fills.
 * @param {string} active the navigation entry to mark (ROUTES' `nav`)
 */
function shell(active) {
  const channel = h('input', {
    id: 'channel',
    type: 'number',
    min: 1,
    max: 2147483647,
    step: 1,
    value: session.channel,
    'aria-label': t('channel'),
    onchange: (event) => {
      const input = /** @type {HTMLInputElement} */ (event.target);
      const value = input.value.trim();
      if (/^\d{1,10}$/.test(value) && Number(value) >= 1) {
        session.channel = value;
        void render();
      } else input.value = session.channel;
    },
  });
  const language = languageSelect(() => {
    void render();
  });
  /** @type {(name: string, href: string, label: string) => HTMLAnchorElement} */
  const link = (name, href, label) =>
    h('a', { href, class: active === name ? 'active' : null, 'aria-current': active === name ? 'page' : null }, label);
  const main = h('main', { id: 'main' });
  const frame = h(
    'div',
    { class: 'frame' },
    h(
      'header',
      { class: 'topbar' },
      h('a', { class: 'brand', href: '#/accounts' }, t('app_title')),
      h(
        'nav',
        { class: 'mainnav' },
        link('settings', '#/settings', t('nav_settings')),
        link('accounts', '#/accounts', t('nav_accounts')),
        link('orders', '#/orders', t('nav_orders')),
        link('refunds', '#/refunds', t('nav_refunds')),
      ),
      h(
        'div',
        { class: 'tools' },
        h('label', { class: 'inline' }, t('channel'), channel),
        h('label', { class: 'inline' }, t('language'), language),
        h('button', { type: 'button', class: 'link', id: 'sign-out', onclick: signOut }, t('sign_out')),
      ),
    ),
    h('div', { id: 'flash', class: 'flash-area' }),
    main,
  );
  return { frame, main };
}

async function signOut() {
  try {
    await api('POST', '/api/v1/auth/logout/');
  } catch {
    // The token is forgotten here whatever the server said.
  }
  session.token = null;
  void render();
}

let renderCount = 0;

async function render() {
  const root = /** @type {HTMLElement} */ (document.getElementById('app'));
  document.documentElement.lang = getLang();
  document.title = t('app_title');
  const number = ++renderCount;
  if (!session.token) {
    mount(
      root,
      renderLogin(() => navigate('/accounts')),
    );
    return;
  }
  const { path, query } = currentRoute();
  const route = ROUTES.find((r) => r.pattern.test(path)) ?? ROUTES[1];
  const { frame, main } = shell(route.nav);
  mount(root, frame);
  showPendingNotice();
  const params = route.pattern.exec(path)?.slice(1) ?? [];
  try {
    await route.render(main, { params, query, navigate, isCurrent: () => number === renderCount });
  } catch (error) {
    if (number === renderCount && session.token) flash(error instanceof Error ? error.message : String(error), 'error');
  }
}

setUnauthorizedHandler(() => {
  void render().then(() => flash(t('session_expired'), 'error'));
});
window.addEventListener('hashchange', () => void render());
void render();
