// forms.js - form fields with their label, hint and error tied together
// (aria-describedby, aria-invalid), for WCAG 2.1 AA.
import { h, uid } from './dom.js';
import { t } from './i18n.js';

/**
 * field({id, label, hint, error, control}) → wrapper. `control` is the
 * input/select/textarea; it gets `id`, and aria-describedby naming the hint
 * and the error message. `label`, `hint` and `error` are texts.
 */
export function field({ id, label, hint, error, control, optional = false }) {
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  control.id = id;
  const described = [hintId, error ? errorId : null].filter(Boolean).join(' ');
  if (described) control.setAttribute('aria-describedby', described);
  if (error) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
  return h('div', { class: 'mp-field' },
    h('label', { for: id }, label, optional ? ` (${t('form.optional')})` : null),
    hint ? h('p', { class: 'mp-hint', id: hintId }, hint) : null,
    h('p', { class: 'mp-error', id: errorId }, error ? `${t('form.errorPrefix')} ${error}` : ''),
    control);
}

/**
 * A group of radios or checkboxes in a fieldset with a legend.
 * options: [{value, label, hint}]; `selected` a value (radio) or Set (checkbox).
 */
export function choiceGroup({ id, type = 'radio', legend, hint, error, options, selected, onchange }) {
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const described = [hintId, error ? errorId : null].filter(Boolean).join(' ') || null;
  return h('div', { class: 'mp-field' },
    h('fieldset', { id, 'aria-describedby': described, 'aria-invalid': error ? 'true' : null },
      h('legend', {}, legend),
      hint ? h('p', { class: 'mp-hint', id: hintId }, hint) : null,
      h('p', { class: 'mp-error', id: errorId }, error ? `${t('form.errorPrefix')} ${error}` : ''),
      options.map((o, i) => {
        const oid = `${id}-${i}`;
        const ohint = o.hint ? `${oid}-hint` : null;
        const checked = type === 'radio' ? selected === o.value : selected.has(o.value);
        return h('div', { class: 'mp-choice' },
          h('input', {
            type, id: oid, name: id, value: o.value, checked, disabled: o.disabled,
            'aria-describedby': ohint,
            onchange: (ev) => onchange(o.value, ev.target.checked),
          }),
          h('div', {}, h('label', { for: oid }, o.label),
            o.hint ? h('p', { class: 'mp-hint', id: ohint }, o.hint) : null));
      })));
}

export function button(label, onclick, { primary = false, type = 'button', disabled = false, id } = {}) {
  return h('button', {
    type, id, disabled, onclick,
    class: `utrecht-button utrecht-button--${primary ? 'primary' : 'secondary'}-action`,
  }, label);
}

/** A text input bound to obj[key]. */
export function textInput(obj, key, attrs = {}) {
  return h('input', { type: 'text', value: obj[key] ?? '', ...attrs, oninput: (ev) => { obj[key] = ev.target.value; } });
}

/** A textarea bound to obj[key]. */
export function textArea(obj, key, attrs = {}) {
  return h('textarea', { rows: '6', ...attrs, value: obj[key] ?? '', oninput: (ev) => { obj[key] = ev.target.value; } });
}

/** A select bound to obj[key]; options [{value, label}], with an empty first choice. */
export function select(obj, key, options, { emptyLabel, onchange } = {}) {
  return h('select', {
    onchange: (ev) => { obj[key] = ev.target.value; onchange?.(ev.target.value); },
  },
  emptyLabel !== undefined ? h('option', { value: '' }, emptyLabel) : null,
  options.map((o) => h('option', { value: o.value, selected: obj[key] === o.value }, o.label)));
}

export { uid };
