// staff.js - adviser, coordinator and admin sign-in (SPEC 3.7, section 4):
// prelogin for the salt and Argon2id parameters, key derivation in the
// worker (with a progress indicator), session, then the X25519 secret key
// opened with kek and checked against the public key. Everything stays in
// page memory; logout ends the worker and reloads the page, so nothing the
// tab held survives.
import * as mc from '../lib/meldcrypto.js';
import { h, replace, focus } from './dom.js';
import { t } from './i18n.js';
import { post, del, ApiError, NetworkError } from './api.js';
import { runInWorker, stopWorker } from './worker-client.js';
import { notice, progressView } from './layout.js';
import { field, button } from './forms.js';

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

/** Ends the session, wipes the keys, stops the worker and reloads: the tab forgets everything. */
export async function signOut(session, path) {
  await endSession(session);
  stopWorker();
  window.location.replace(path);
}

export function loginErrorKey(e) {
  if (e instanceof NetworkError) return 'error.network';
  if (e instanceof ApiError) {
    if (e.status === 401) return 'login.failed';
    if (e.status === 429) return 'error.rateLimited';
    if (e.status === 503) return 'error.unavailable';
  }
  return 'login.failedKeys';
}

/**
 * The sign-in form. `state` holds {email, totp, error, busy, fieldErrors};
 * the passphrase is read from the field at submit time and not kept.
 * `onDone(session)` receives the signed-in session.
 */
export function loginForm(main, state, { titleKey, introKey, onDone, rerender }) {
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
    state.error ? notice('error', h('p', {}, t(state.error))) : null,
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
