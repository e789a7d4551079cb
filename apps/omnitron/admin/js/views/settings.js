// @ts-check
import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { t } from '../i18n.js';
import { busy, clearErrors, flash, formErrorBox, loading, showError } from '../ui.js';
/** @import { DynamicSettings, SettingValue } from '../api.js' */
/** @import { RouteContext } from '../app.js' */

/** A number setting as typed; sent to the API as a JSON number written from this text, never through a float. */
const NUMBER_PATTERN = /^-?\d{1,13}(\.\d{1,6})?$/;
const TEXT_LENGTH_MAX = 1000;

/**
 * Every key GET dynamic_settings/ answers, rendered by the type of its value: booleans as Yes/No toggles, numbers
 * and text as inputs. New settings therefore appear here without a change to the page.
 * @param {HTMLElement} main
 * @param {Pick<RouteContext, 'isCurrent'>} context (saving renders the page again with it)
 */
export async function renderSettings(main, { isCurrent }) {
  mount(main, h('h1', {}, t('settings_title')), loading());
  const settings = /** @type {DynamicSettings} */ (await api('GET', 'dynamic_settings/'));
  if (!isCurrent()) return;
  const rows = Object.entries(settings).sort(([a], [b]) => a.localeCompare(b));
  const form = h('form', { class: 'card', id: 'settings-form', novalidate: true });
  /** @type {Map<string, { value: SettingValue, control: HTMLElement }>} */
  const controls = new Map();
  const body = h('tbody');
  for (const [key, value] of rows) {
    /** @type {HTMLLabelElement | HTMLInputElement} */
    let control;
    if (typeof value === 'boolean') {
      control = h(
        'label',
        { class: 'switch' },
        h('input', { type: 'checkbox', name: key, checked: value, role: 'switch' }),
        h('span', { class: 'switch-label' }, value ? t('yes') : t('no')),
      );
      const box = /** @type {HTMLInputElement} */ (control.querySelector('input'));
      box.addEventListener('change', () => {
        const label = /** @type {HTMLElement} */ (control.querySelector('.switch-label'));
        label.textContent = box.checked ? t('yes') : t('no');
      });
    } else {
      control = h('input', {
        name: key,
        value: value === null ? '' : String(value),
        maxlength: TEXT_LENGTH_MAX,
        inputmode: typeof value === 'number' ? 'decimal' : null,
      });
    }
    controls.set(key, { value, control });
    body.append(
      h(
        'tr',
        { 'data-setting': key },
        h('th', { scope: 'row' }, h('code', {}, key)),
        h('td', {}, control, h('div', { class: 'field-error', 'data-error-for': key })),
      ),
    );
  }
  mount(
    form,
    formErrorBox(),
    h(
      'table',
      { class: 'grid' },
      h('thead', {}, h('tr', {}, h('th', {}, t('setting')), h('th', {}, t('value')))),
      body,
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('save'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    // The body is written by hand so that a number goes out exactly as typed (no float round trip).
    /** @type {string[]} */
    const parts = [];
    for (const [key, { value }] of controls) {
      // Each setting's control is an input named by its key (a checkbox for a boolean).
      const input = /** @type {HTMLInputElement} */ (form.elements.namedItem(key));
      if (typeof value === 'boolean') {
        if (input.checked !== value) parts.push(`${JSON.stringify(key)}:${input.checked ? 'true' : 'false'}`);
        continue;
      }
      const text = input.value.trim();
      if (text === (value === null ? '' : String(value))) continue;
      if (typeof value === 'number') {
        if (!NUMBER_PATTERN.test(text)) {
          showError(form, t('setting_number_invalid'), key);
          return;
        }
        parts.push(`${JSON.stringify(key)}:${text}`);
      } else parts.push(`${JSON.stringify(key)}:${text === '' && value === null ? 'null' : JSON.stringify(text)}`);
    }
    if (parts.length === 0) {
      flash(t('settings_unchanged'), 'info');
      return;
    }
    void busy(form, async () => {
      try {
        await api('PATCH', 'dynamic_settings/', { body: `{${parts.join(',')}}` });
        flash(t('settings_saved'));
        await renderSettings(main, { isCurrent });
      } catch (error) {
        showError(form, error);
      }
    });
  });
  mount(main, h('h1', {}, t('settings_title')), h('p', { class: 'muted' }, t('settings_intro')), form);
}
