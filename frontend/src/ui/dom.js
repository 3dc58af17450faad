// dom.js - building the page from elements and text nodes only. The pages
// never write HTML strings into the DOM (SPEC section 7): no innerHTML, no
// insertAdjacentHTML, no document.write; every text goes in as textContent.

/**
 * h('button', {class: 'x', onclick: fn, 'aria-describedby': 'id'}, child…)
 * → Element. Children are Nodes, strings (text), arrays, or null/false
 * (skipped). Attributes with value null/false are left out; `true` sets an
 * empty attribute. Keys starting with "on" add event listeners.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'value' && 'value' in el) el.value = value;
    else if (key === 'checked' || key === 'selected' || key === 'disabled') el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces all children of `el` with `children`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** SVG element (for QR codes and charts), attributes set verbatim. */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  for (const child of children.flat()) if (child) el.append(child);
  return el;
}

let counter = 0;
/** A page-unique element id with the given prefix. */
export function uid(prefix = 'mp') {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** Moves focus to `el` (made focusable for scripts only) and scrolls it into view. */
export function focus(el) {
  if (!el) return;
  if (!el.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(el.tagName))
    el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: false });
}
