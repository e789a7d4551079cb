// @ts-check
// DOM helpers. Text always goes in through textContent (never innerHTML), so API data cannot inject markup.

/**
 * An attribute's value: text or a number (written with String), true (present, empty), false/null/undefined (left
 * out), or for an on* name the listener.
 * @typedef {string | number | boolean | null | undefined | ((event: Event) => unknown)} AttrValue
 */
/** @typedef {Record<string, AttrValue>} Attrs */
/**
 * What goes inside an element: a node, text (a number is written as text), nothing (false, null, undefined) or a
 * list of these.
 * @typedef {Node | string | number | false | null | undefined | ChildList} Child
 */
/** @typedef {Child[]} ChildList */
/**
 * A form control, as `field` labels it.
 * @typedef {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} Control
 */

/**
 * h('button', { class: 'primary', onclick: fn }, 'Save') builds an element. Attributes named on* become listeners;
 * `false`/`null`/`undefined` attributes are left out; children may be strings, nodes, arrays or null.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  // `value` and `checked` are properties of the controls (input, select, option, textarea), set as such.
  const control = /** @type {HTMLInputElement} */ (/** @type {HTMLElement} */ (element));
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'value') control.value = String(value);
    else if (name === 'checked') control.checked = Boolean(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/**
 * @param {Element} element
 * @param {Child[]} children
 */
function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces everything inside `element`.
 * @param {Element} element
 * @param {...Child} children
 */
export function mount(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/**
 * A labelled form field: the label, the control and a place for the field's error.
 * @param {string} label
 * @param {Control} control
 * @param {string | null} [hint]
 * @returns {HTMLDivElement}
 */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 10)}`;
  control.id = id;
  const error = h('div', { class: 'field-error', 'data-error-for': control.name || '' });
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint ? h('small', {}, hint) : null,
    error,
  );
}

/**
 * The value of a named control of a form, trimmed ('' when there is no such control).
 * @param {HTMLFormElement} form
 * @param {string} name
 * @returns {string}
 */
export function valueOf(form, name) {
  const control = form.elements.namedItem(name);
  return control && 'value' in control ? String(control.value).trim() : '';
}
