// session.js - sessions that keep work (SPEC section 4: a session ends after
// 30 idle minutes, a staff session also 12 hours after it began; every
// authenticated request refreshes the idle timer). The keeper counts from
// the last successful authenticated answer (ui/api.js tells it), warns
// politely before the end with a way to continue, and when the session has
// ended (the time ran out, or any authenticated request came back 401) opens
// a dialog to log in again in place: the page is not reloaded, so what was
// typed stays. Nothing here is stored; timers and state live in page memory.
import { h, replace, focus } from './dom.js';
import { t, onLangChange, currentLang } from './i18n.js';
import { watchTokens } from './api.js';
import { notice } from './layout.js';
import { button } from './forms.js';

export const MINUTE = 60 * 1000;
export const IDLE_MS = 30 * MINUTE;
export const STAFF_ABSOLUTE_MS = 12 * 60 * MINUTE;
export const WARN_MS = 5 * MINUTE;
const TICK_MS = 5 * 1000;
const RENEWED_SHOWN_MS = MINUTE;

function clock(ms) {
  return new Intl.DateTimeFormat(currentLang() === 'nl' ? 'nl-NL' : 'en-GB', { hour: '2-digit', minute: '2-digit' })
    .format(new Date(ms));
}

/**
 * sessionKeeper({main, area, token, ping, absoluteMs, onExpired, renderLogin,
 * errorText}) → {start(), stop(), renewed(), open(), isExpired()}.
 * - area: 'staff' or 'reporter' (the words differ);
 * - token(): the current session's token (or null when signed out);
 * - ping(): a cheap authenticated request ("Continue");
 * - absoluteMs: the absolute limit (staff) or null (reporter);
 * - onExpired(): the session has ended (wipe what belonged to it);
 * - renderLogin(box, {first}): draws the sign-in form into the dialog;
 * - errorText(e): words for a failed ping.
 * The warning sits just before `main` (a named region while it shows), the
 * dialog just after it.
 */
export function sessionKeeper({ main, area = 'staff', token, ping, absoluteMs = null, onExpired, renderLogin, errorText }) {
  const st = { active: false, startedAt: 0, lastOk: 0, warned: null, expired: false, pinging: false, pingError: null,
    renewedAt: 0 };
  const bar = h('section', { class: 'mp-session', id: 'mp-session', 'aria-live': 'polite' });
  const body = h('div', { class: 'mp-dialog__body' });
  const dialog = h('dialog', { class: 'mp-dialog', id: 'mp-relogin', 'aria-labelledby': 'mp-relogin-title',
    'aria-describedby': 'mp-relogin-intro' });
  main.before(bar);
  main.after(dialog);

  // Escape closes the dialog: the page stays readable (a draft can be copied
  // out), and the bar offers to log in again.
  dialog.addEventListener('close', () => drawBar());

  watchTokens(({ token: used, ok, status }) => {
    if (!st.active || !used || used !== token()) return;
    if (ok) {
      st.lastOk = Date.now();
      if (st.warned === 'idle') { st.warned = null; drawBar(); }
    } else if (status === 401) expire();
  });
  setInterval(tick, TICK_MS);
  onLangChange(() => { drawBar(); if (dialog.open) drawDialog(false); });

  function end() {
    const idle = st.lastOk + IDLE_MS;
    return absoluteMs ? Math.min(idle, st.startedAt + absoluteMs) : idle;
  }

  function tick() {
    if (!st.active || st.expired) return;
    const now = Date.now();
    if (st.renewedAt && now - st.renewedAt > RENEWED_SHOWN_MS) { st.renewedAt = 0; drawBar(); }
    const at = end();
    if (now >= at) { expire(); return; }
    if (now >= at - WARN_MS && !st.warned) {
      st.warned = absoluteMs && st.startedAt + absoluteMs <= st.lastOk + IDLE_MS ? 'absolute' : 'idle';
      st.pingError = null;
      drawBar();
    }
  }

  function expire() {
    if (st.expired || !st.active) return;
    st.expired = true;
    st.warned = null;
    st.renewedAt = 0;
    onExpired?.();
    open();
  }

  async function cont() {
    if (st.pinging) return;
    st.pinging = true;
    st.pingError = null;
    drawBar();
    try {
      await ping();
      st.warned = null;
      st.renewedAt = 0;
    } catch (e) {
      if (!st.expired) st.pingError = errorText(e);
    }
    st.pinging = false;
    drawBar();
    // The button is gone: focus goes back to the page's heading, not to the body.
    if (!st.expired && !st.warned) focus(main.querySelector('h1'));
  }

  function drawBar() {
    let content = null;
    if (st.expired && !dialog.open) {
      content = notice('error', h('p', {}, h('strong', {}, t('session.expiredTitle')), ' ', t('session.expiredKept')),
        h('div', { class: 'mp-actions' }, button(t(`session.loginAgain.${area}`), open, { primary: true, id: 'mp-session-login' })));
    } else if (st.warned === 'idle') {
      content = notice('warning', h('p', {}, h('strong', {}, t('session.warnTitle')), ' ', t('session.warnIdle', { time: clock(end()) })),
        st.pingError ? h('p', { class: 'mp-error' }, st.pingError) : null,
        h('div', { class: 'mp-actions' }, button(t('session.continue'), cont, { primary: true, id: 'mp-session-continue', disabled: st.pinging })));
    } else if (st.warned === 'absolute') {
      content = notice('warning', h('p', {}, h('strong', {}, t('session.warnTitle')), ' ', t('session.warnAbsolute', { time: clock(end()) })),
        h('div', { class: 'mp-actions' }, button(t('session.loginNow'), open, { primary: true, id: 'mp-session-login' })));
    } else if (st.renewedAt) {
      content = notice('ok', h('p', {}, t('session.renewed')));
    }
    if (content) bar.setAttribute('aria-label', t('session.region'));
    else bar.removeAttribute('aria-label');
    replace(bar, content);
  }

  function drawDialog(first) {
    replace(body);
    renderLogin(body, { first });
    replace(dialog,
      h('h2', { id: 'mp-relogin-title' }, t(st.expired ? 'session.expiredTitle' : 'session.loginNowTitle')),
      h('p', { id: 'mp-relogin-intro' }, t(st.expired ? `session.expiredIntro.${area}` : 'session.loginNowIntro')),
      body);
  }

  function open() {
    drawDialog(true);
    if (!dialog.open) dialog.showModal();
    drawBar();
    focus(dialog.querySelector('[data-autofocus]') ?? dialog.querySelector('input, button'));
  }

  return {
    /** A new session began (sign-in): count from now. */
    start() {
      Object.assign(st, { active: true, startedAt: Date.now(), lastOk: Date.now(), warned: null, expired: false,
        pingError: null, renewedAt: 0 });
      drawBar();
    },
    /** Signed out: no warning, no dialog. */
    stop() {
      st.active = false;
      st.expired = false;
      st.warned = null;
      if (dialog.open) dialog.close();
      drawBar();
    },
    /** The dialog's sign-in succeeded: a new session, counted from now. */
    renewed() {
      Object.assign(st, { active: true, startedAt: Date.now(), lastOk: Date.now(), warned: null, expired: false,
        pingError: null, renewedAt: Date.now() });
      if (dialog.open) dialog.close();
      drawBar();
      // The control that opened the dialog may have been drawn again meanwhile.
      const at = document.activeElement;
      if (!at || at === document.body || !at.isConnected) focus(main.querySelector('h1'));
    },
    /** Redraws the dialog (the form's state changed). */
    redraw() { if (dialog.open) drawDialog(false); },
    open,
    isExpired: () => st.expired,
    dialog,
  };
}
