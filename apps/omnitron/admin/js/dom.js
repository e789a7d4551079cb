// @ts-check
// DOM helpers. Text always goes in through textContent (never innerHTML), so API data cannot inject markup.

/**
 * h('button', { class: 'primary', onclick: fn }, 'Save') builds an element. Attributes named on* become listeners;
 * `false`/`null`/`undefined` attributes are left out; children may be strings, nodes, arrays or null.
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'value') element.value = String(value);
    else if (name === 'checked') element.checked = Boolean(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `element`. */
export function mount(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** A labelled form field: the label, the control and a place for the field's error. */
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

/** The value of a named control of a form, trimmed. */
export function valueOf(form, name) {
  const control = form.elements.namedItem(name);
  return control && 'value' in control ? String(control.value).trim() : '';
}
