// notify-settings.js - the account page's control for the notification
// mails (issue 18): their language and, per kind, at the next batch, in a
// daily digest, or not at all; an adviser's own deadlines cannot be
// switched off. The mails never say more than that work is waiting.
// GET and PUT /api/v1/adviser/notifications.
import { h } from './dom.js';
import { t } from './i18n.js';
import { field, button, select } from './forms.js';
import { notice } from './layout.js';
import { get, put } from './api.js';
import { staffErrorKey, errText } from './staff.js';

const KINDS = ['assigned', 'message', 'deadline', 'overdue'];
const MODES = ['batch', 'digest', 'off'];

/**
 * notifySettings({session, rerender}) -> {view()}: view() returns the
 * section (loading the settings the first time it is shown).
 */
export function notifySettings({ session, rerender }) {
  const st = { values: null, loading: false, busy: false, done: false, error: null };

  async function load() {
    st.loading = true;
    try {
      st.values = await get('/api/v1/adviser/notifications', { token: session().token });
    } catch (e) {
      st.error = staffErrorKey(e);
    }
    st.loading = false;
    rerender();
  }

  async function save() {
    st.busy = true;
    st.done = false;
    st.error = null;
    rerender();
    try {
      await put('/api/v1/adviser/notifications', st.values, { token: session().token });
      st.done = true;
    } catch (e) {
      st.error = staffErrorKey(e);
    }
    st.busy = false;
    rerender();
  }

  function form() {
    const v = st.values;
    const modes = (kind) => (kind === 'deadline' ? MODES.slice(0, 2) : MODES)
      .map((m) => ({ value: m, label: t(`notify.mode.${m}`) }));
    return h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); if (!st.busy) save(); } },
      field({ id: 'notify-language', label: t('notify.language'),
        control: select(v, 'language', ['nl', 'en'].map((l) => ({ value: l, label: t(`notify.lang.${l}`) }))) }),
      KINDS.map((kind) => field({ id: `notify-${kind}`, label: t(`notify.kind.${kind}`),
        hint: kind === 'deadline' ? t('notify.deadlineHint') : null, control: select(v, kind, modes(kind)) })),
      h('div', { class: 'mp-actions' }, button(t('notify.save'), null, { type: 'submit', disabled: st.busy })));
  }

  function view() {
    if (!st.values && !st.loading && !st.error) load();
    return h('section', { 'aria-labelledby': 'notify-h2' },
      h('h2', { id: 'notify-h2' }, t('notify.h2')),
      h('p', {}, t('notify.intro')),
      st.error ? notice('error', h('p', {}, errText(st.error))) : null,
      st.done ? notice('ok', h('p', {}, t('notify.saved'))) : null,
      st.values ? form() : h('p', {}, t('notify.loading')));
  }

  return { view };
}
