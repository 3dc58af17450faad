// staff.js - adviser, coordinator and admin sign-in (SPEC 3.7, section 4):
// prelogin for the salt and Argon2id parameters, key derivation in the
// worker (with a progress indicator), session, then the X25519 secret key
// opened with kek and checked against the public key. Everything stays in
// page memory; logout ends the worker and reloads the page, so nothing the
// tab held survives.
import * as mc from '../lib/meldcrypto.js';
import { h, replace, focus } from './dom.js';
import { t, has, withLang, currentLang } from './i18n.js';
import { post, del, ApiError, NetworkError } from './api.js';
import { runInWorker, stopWorker } from './worker-client.js';
import { notice, progressView } from './layout.js';
import { field, button } from './forms.js';
import { sessionKeeper, STAFF_ABSOLUTE_MS } from './session.js';

/** Derives {authKey, kek} for `email`'s stored parameters (prelogin), in the worker. */
export async function deriveForEmail(email, passphrase, onProgress) {
  const pre = await post('/api/v1/adviser/prelogin', { email });
  if (pre.opslimit < mc.PWHASH_MIN_OPSLIMIT || pre.memlimit < mc.PWHASH_MIN_MEMLIMIT)
    throw new Error('weak parameters refused');
  const keys = await runInWorker('pwhash', { passphrase, salt: pre.salt, opslimit: pre.opslimit, memlimit: pre.memlimit },
    { onProgress });
  return { ...keys, pre };
}

/**
 * Signs in → {token, adviser, encryptionPublicKey, encryptedSecretKey, secretKey,
 * signSecretKey, signPublicKey} (keys null for accounts without keys, e.g. admins).
 */
export async function signIn({ email, passphrase, totp }, onProgress) {
  const { authKey, kek } = await deriveForEmail(email, passphrase, onProgress);
  try {
    const s = await post('/api/v1/adviser/session', { email, auth_key: mc.toB64(authKey), totp });
    // The sealed key is kept (it is useless without kek) so that key rotation
    // can check a passphrase typed again against it.
    const out = { token: s.token, adviser: s.adviser, email, encryptionPublicKey: s.encryption_public_key ?? null,
      encryptedSecretKey: s.encrypted_secret_key ?? null, secretKey: null, signSecretKey: null, signPublicKey: null };
    if (s.encrypted_secret_key && s.encryption_public_key) {
      out.secretKey = mc.openSecretKey(s.encrypted_secret_key, s.adviser.id, s.encryption_public_key, kek);
      const sign = mc.adviserSigningKeys(out.secretKey);
      out.signSecretKey = sign.signSecretKey;
      out.signPublicKey = sign.signPublicKey;
    }
    return out;
  } finally {
    mc.wipe(authKey);
    mc.wipe(kek);
  }
}

/** Wipes a session's secret keys, for pages that need only its token (admin, statistics). */
export function forgetKeys(session) {
  mc.wipe(session.secretKey);
  mc.wipe(session.signSecretKey);
  session.secretKey = null;
  session.signSecretKey = null;
}

/**
 * Ends the session on the server and wipes its keys, without leaving the
 * page: for a signed-in account that this page cannot serve (wrong role).
 */
export async function endSession(session) {
  if (!session) return;
  forgetKeys(session);
  await del('/api/v1/adviser/session', { token: session.token, clearSiteData: true }).catch(() => {});
}

// Why the last page signed out, carried to the fresh page in the address
// (?signed-out=…: a fixed word, nothing about the person; a reload forgets
// everything else); the login form shows it once and takes it out.
const SIGNED_OUT = { 'other-account': 'session.otherAccount' };

/**
 * Ends the session, wipes the keys, stops the worker and reloads: the tab
 * forgets everything. `reason` (a SIGNED_OUT name) is shown on the fresh page.
 */
export async function signOut(session, path, reason) {
  await endSession(session);
  stopWorker();
  // With a reason, the fresh page says it in the language chosen here.
  if (!reason) { window.location.replace(path); return; }
  const url = new URL(withLang(path), window.location.origin);
  url.searchParams.set('signed-out', reason);
  window.location.replace(`${url.pathname}${url.search}`);
}

function takeSignOutReason() {
  const url = new URL(window.location.href);
  const reason = url.searchParams.get('signed-out');
  if (reason === null) return null;
  url.searchParams.delete('signed-out');
  history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
  return SIGNED_OUT[reason] ?? null;
}

/**
 * The words a staff page shows for a failed request: what happened and what
 * to do. → a key, or {key, vars} (show it with errText). The server's own
 * codes with a text of their own (apiError.*) come first.
 */
export function staffErrorKey(e) {
  if (e instanceof NetworkError) return 'staffError.network';
  if (!(e instanceof ApiError)) return 'staffError.failed';
  if (e.status === 401) return 'staffError.expired';
  if (has(`apiError.${e.code}`)) return `apiError.${e.code}`;
  if (e.status === 400) return 'staffError.invalid';
  if (e.status === 403) return 'staffError.forbidden';
  if (e.status === 404) return 'staffError.notFound';
  if (e.status === 409) return 'staffError.conflict';
  if (e.status === 413) return 'staffError.tooLarge';
  if (e.status === 429) {
    const seconds = Number.parseInt(e.retryAfter ?? '', 10);
    if (!Number.isFinite(seconds) || seconds <= 0) return 'staffError.rateLimited';
    const minutes = Math.ceil(seconds / 60);
    return minutes <= 1 ? 'staffError.rateLimitedMinute' : { key: 'staffError.rateLimitedMinutes', vars: { n: minutes } };
  }
  if (e.status === 503) return 'staffError.unavailable';
  return { key: 'staffError.server', vars: { status: e.status } };
}

/**
 * A text with a count in it, singular or plural as the language wants:
 * the catalogue has `${key}.one` and `${key}.other`, each with {n}.
 */
export function tn(key, n, vars = {}) {
  const form = new Intl.PluralRules(currentLang() === 'nl' ? 'nl-NL' : 'en-GB').select(n) === 'one' ? 'one' : 'other';
  return t(`${key}.${form}`, { ...vars, n });
}

/** The text of an error from staffErrorKey (a key or {key, vars}). */
export function errText(err) {
  if (!err) return '';
  return typeof err === 'string' ? t(err) : t(err.key, err.vars);
}

export function loginErrorKey(e) {
  if (e instanceof ApiError && e.status === 401) return 'login.failed';
  if (e instanceof ApiError || e instanceof NetworkError) return staffErrorKey(e);
  return 'login.failedKeys';
}

/**
 * The sign-in form. `state` holds {email, totp, error, busy, fieldErrors};
 * the passphrase is read from the field at submit time and not kept.
 * `onDone(session)` receives the signed-in session.
 */
export function loginForm(main, state, { titleKey, introKey, onDone, rerender }) {
  if (!state.reasonTaken) {
    state.reasonTaken = true;
    state.error = takeSignOutReason() ?? state.error;
  }
  const pass = h('input', { type: 'password', autocomplete: 'current-password' });
  const progress = state.busy ? progressView('login.deriving', ['login.stagePrelogin', 'login.stageDerive', 'login.stageSession']) : null;
  async function submit(ev) {
    ev.preventDefault();
    if (state.busy) return;
    const passphrase = pass.value;
    state.fieldErrors = {};
    if (!/^[^@\s]+@[^@\s]+$/.test(state.email)) state.fieldErrors.email = t('login.emailError');
    if (!passphrase) state.fieldErrors.passphrase = t('login.passphraseError');
    if (!/^[0-9]{6}$/.test(state.totp)) state.fieldErrors.totp = t('login.totpError');
    if (Object.keys(state.fieldErrors).length) {
      rerender();
      focus(document.querySelector('[aria-invalid="true"]'));
      return;
    }
    state.busy = true;
    state.error = null;
    rerender();
    try {
      const session = await signIn({ email: state.email, passphrase, totp: state.totp }, (f) => {
        const p = main.querySelector('progress');
        if (p) p.value = String(Math.round(f * 100));
      });
      state.busy = false;
      state.totp = '';
      onDone(session);
    } catch (e) {
      state.busy = false;
      state.error = loginErrorKey(e);
      rerender();
      focus(main.querySelector('.mp-notice--error'));
    }
  }
  const fe = state.fieldErrors ?? {};
  replace(main,
    h('h1', {}, t(titleKey)),
    h('p', {}, t(introKey)),
    state.error ? notice('error', h('p', {}, errText(state.error))) : null,
    h('form', { novalidate: true, onsubmit: submit },
      field({ id: 'email', label: t('login.email'), error: fe.email,
        control: h('input', { type: 'email', autocomplete: 'username', value: state.email, oninput: (ev) => { state.email = ev.target.value; } }) }),
      field({ id: 'passphrase', label: t('login.passphrase'), error: fe.passphrase, control: pass }),
      field({ id: 'totp', label: t('login.totp'), hint: t('login.totpHint'), error: fe.totp,
        control: h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6', value: state.totp,
          oninput: (ev) => { state.totp = ev.target.value.trim(); } }) }),
      h('div', { class: 'mp-actions' }, button(t('login.submit'), null, { primary: true, type: 'submit', disabled: state.busy, id: 'login-submit' }))),
    progress ? progress.el : null);
  if (progress) progress.stage(1);
}

/**
 * The session keeper of a staff page (ui/session.js): the warning before the
 * end and, once the session has ended, a dialog to log in again in place.
 * - current(): the signed-in session; adopt(session): the page takes the new
 *   one (same account, already checked), then onRenewed() lets it reload
 *   what it shows (what was typed stays in the page's memory);
 * - ping(token): a cheap authenticated GET for "Continue";
 * - keepKeys: false for pages that need only the token (their new session's
 *   keys are wiped at once);
 * - path: where a full sign-out goes.
 * A different account signing in is refused: both sessions end and the
 * page reloads empty.
 */
export function staffSessionKeeper({ main, current, adopt, ping, onRenewed, path, keepKeys = true }) {
  const st = { email: '', totp: '', error: null, busy: false, fieldErrors: {} };
  const pass = h('input', { type: 'password', autocomplete: 'current-password', 'data-autofocus': true });
  let progress = null;
  const keeper = sessionKeeper({
    main,
    area: 'staff',
    token: () => current()?.token ?? null,
    ping: () => ping(current().token),
    absoluteMs: STAFF_ABSOLUTE_MS,
    // The ended session's keys go at once; the dialog's sign-in brings them again.
    onExpired: () => { const s = current(); if (s) forgetKeys(s); },
    errorText: (e) => errText(staffErrorKey(e)),
    renderLogin: (box, { first }) => {
      if (first) {
        Object.assign(st, { email: current()?.email ?? st.email, totp: '', error: null, fieldErrors: {} });
        pass.value = '';
      }
      draw(box);
    },
  });

  async function submit(ev) {
    ev.preventDefault();
    if (st.busy) return;
    st.fieldErrors = {};
    if (!/^[^@\s]+@[^@\s]+$/.test(st.email)) st.fieldErrors.email = t('login.emailError');
    if (!pass.value) st.fieldErrors.passphrase = t('login.passphraseError');
    if (!/^[0-9]{6}$/.test(st.totp)) st.fieldErrors.totp = t('login.totpError');
    if (Object.keys(st.fieldErrors).length) {
      keeper.redraw();
      focus(keeper.dialog.querySelector('[aria-invalid="true"]'));
      return;
    }
    const passphrase = pass.value;
    pass.value = '';
    st.busy = true;
    st.error = null;
    progress = progressView('login.deriving', ['login.stagePrelogin', 'login.stageDerive', 'login.stageSession']);
    keeper.redraw();
    progress.stage(1);
    const old = current();
    let fresh;
    try {
      fresh = await signIn({ email: st.email, passphrase, totp: st.totp }, (f) => progress?.set(f));
    } catch (e) {
      st.busy = false;
      progress = null;
      st.error = loginErrorKey(e);
      keeper.redraw();
      focus(keeper.dialog.querySelector('.mp-notice--error'));
      return;
    }
    st.busy = false;
    progress = null;
    st.totp = '';
    if (!old || fresh.adviser?.id !== old.adviser?.id) {
      // Another account may not take over this page and what is on it.
      await endSession(fresh);
      await signOut(old, path, 'other-account');
      return;
    }
    const wasExpired = keeper.isExpired();
    forgetKeys(old);
    if (!keepKeys) forgetKeys(fresh);
    adopt(fresh);
    keeper.renewed();
    // A sign-in before the absolute limit: the old session is still alive, end it.
    if (!wasExpired) del('/api/v1/adviser/session', { token: old.token, clearSiteData: true }).catch(() => {});
    onRenewed?.();
  }

  function draw(box) {
    const fe = st.fieldErrors;
    replace(box,
      st.error ? notice('error', h('p', {}, errText(st.error))) : null,
      h('form', { novalidate: true, onsubmit: submit },
        field({ id: 'relogin-email', label: t('login.email'), hint: t('session.sameAccount'), error: fe.email,
          control: h('input', { type: 'email', autocomplete: 'username', value: st.email,
            oninput: (ev) => { st.email = ev.target.value; } }) }),
        field({ id: 'relogin-passphrase', label: t('login.passphrase'), error: fe.passphrase, control: pass }),
        field({ id: 'relogin-totp', label: t('login.totp'), hint: t('login.totpHint'), error: fe.totp,
          control: h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6', value: st.totp,
            oninput: (ev) => { st.totp = ev.target.value.trim(); } }) }),
        h('div', { class: 'mp-actions' },
          button(t('session.loginAgain.staff'), null, { primary: true, type: 'submit', disabled: st.busy, id: 'relogin-submit' }),
          button(t('session.signOutInstead'), () => signOut(current(), path), { id: 'relogin-signout', disabled: st.busy }))),
      h('p', { class: 'mp-meta' }, t('session.signOutLoses')),
      progress ? progress.el : null);
  }

  return keeper;
}
