// enrol.js - an adviser enrols from an invite link (#invite=...), which is
// taken from the address bar at once (SPEC section 4). The page proposes a
// six-word passphrase, derives the keys in the worker, creates the adviser
// key pair in the browser, shows the TOTP secret as a QR code drawn in the
// page, confirms the first code, and shows the key fingerprint to read out
// to the certification officer: the account then waits for certification.
import * as mc from '../lib/meldcrypto.js';
import qrcode from 'qrcode-generator';
import { h, replace, focus, svg } from '../ui/dom.js';
import { t } from '../ui/i18n.js';
import { boot } from '../ui/boot.js';
import { notice, progressView } from '../ui/layout.js';
import { field, button, choiceGroup } from '../ui/forms.js';
import { post, ApiError } from '../ui/api.js';
import { runInWorker } from '../ui/worker-client.js';
import { proposePassphrase, checkPassphrase } from '../ui/passphrase.js';
import { staffErrorKey, errText } from '../ui/staff.js';

// Read the invite token before anything else and remove it from the address bar.
let inviteToken = null;
{
  const m = /^#invite=([A-Za-z0-9_-]{16,128})$/.exec(window.location.hash);
  if (m) inviteToken = m[1];
  if (window.location.hash) history.replaceState(null, '', window.location.pathname);
}

let page;
const st = { phase: inviteToken ? 'loading' : 'noinvite', info: null, error: null, choice: 'proposed', proposed: '',
  own: '', again: '', written: false, errors: {}, totpUri: null, totp: '', fingerprint: null, progress: null };

async function loadInfo() {
  try {
    st.info = await post('/api/v1/enrol/info', { invite_token: inviteToken });
    st.proposed = proposePassphrase();
    st.phase = 'passphrase';
  } catch (e) {
    st.phase = 'invalid';
    st.error = e instanceof ApiError && (e.status === 404 || e.status === 401 || e.status === 400) ? 'enrol.inviteInvalid' : staffErrorKey(e);
  }
  render();
}

async function createKeys() {
  st.errors = {};
  const passphrase = st.choice === 'proposed' ? st.proposed : st.own;
  if (st.choice === 'own') {
    const problem = checkPassphrase(st.own);
    if (problem) st.errors.own = t(problem);
    else if (st.own !== st.again) st.errors.again = t('passphrase.mismatch');
  } else if (!st.written) st.errors.written = t('enrol.writtenError');
  if (Object.keys(st.errors).length) { render(); focus(document.querySelector('[aria-invalid="true"]')); return; }
  st.phase = 'deriving';
  render();
  const keys = mc.newAdviserKeys();
  try {
    const salt = mc.newSalt();
    const opslimit = mc.PWHASH_MIN_OPSLIMIT;
    const memlimit = mc.PWHASH_MIN_MEMLIMIT;
    const { authKey, kek } = await runInWorker('pwhash', { passphrase, salt, opslimit, memlimit },
      { onProgress: (f) => { const p = page.main.querySelector('progress'); if (p) p.value = String(Math.round(f * 100)); } });
    const sealed = mc.sealSecretKey(keys.encryptionSecretKey, st.info.id, keys.encryptionPublicKey, kek);
    const r = await post('/api/v1/enrol', {
      invite_token: inviteToken, salt: mc.toB64(salt), opslimit, memlimit, auth_key: mc.toB64(authKey),
      encryption_public_key: mc.toB64(keys.encryptionPublicKey), sign_public_key: mc.toB64(keys.signPublicKey),
      encrypted_secret_key: mc.toB64(sealed),
    });
    mc.wipe(authKey);
    mc.wipe(kek);
    st.totpUri = r.totp_uri;
    st.fingerprint = mc.fingerprint(keys.encryptionPublicKey, keys.signPublicKey);
    st.proposed = '';
    st.own = '';
    st.again = '';
    st.phase = 'totp';
  } catch (e) {
    st.phase = 'passphrase';
    st.error = e instanceof ApiError && (e.status === 400 || e.status === 404 || e.status === 409) ? 'enrol.failed' : staffErrorKey(e);
  } finally {
    mc.wipe(keys.encryptionSecretKey);
    mc.wipe(keys.signSecretKey);
  }
  render();
  focus(page.main.querySelector('h1'));
}

async function confirmTotp() {
  st.errors = {};
  if (!/^[0-9]{6}$/.test(st.totp)) { st.errors.totp = t('login.totpError'); render(); focus(document.getElementById('totp')); return; }
  try {
    await post('/api/v1/enrol/confirm', { invite_token: inviteToken, totp: st.totp });
    inviteToken = null;
    st.totpUri = null;
    st.phase = 'waiting';
  } catch (e) {
    // A wrong code is refused with 400 or 403; anything else says what happened.
    st.errors.totp = e instanceof ApiError && (e.status === 400 || e.status === 401 || e.status === 403)
      ? t('enrol.totpWrong') : errText(staffErrorKey(e));
  }
  render();
  focus(st.phase === 'waiting' ? page.main.querySelector('h1') : document.getElementById('totp'));
}

// The QR code as SVG rectangles built in the page (no image from elsewhere).
function qrSvg(text) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const q = 4;
  let d = '';
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += `M${c + q} ${r + q}h1v1h-1z`;
  return svg('svg', { class: 'mp-qr', viewBox: `0 0 ${n + 2 * q} ${n + 2 * q}`, role: 'img', 'aria-label': t('enrol.qrLabel') },
    svg('rect', { width: n + 2 * q, height: n + 2 * q, fill: '#fff' }), svg('path', { d, fill: '#000' }));
}

function totpSecret(uri) {
  try {
    return new URL(uri).searchParams.get('secret') ?? '';
  } catch { return ''; }
}

// The secret in groups of four, as authenticator apps accept it typed
// (they ignore the spaces), so it is easy to copy by hand.
function grouped(secret) {
  return secret.replace(/=+$/, '').match(/.{1,4}/g)?.join(' ') ?? '';
}

function render() {
  if (!page) return;
  const main = page.main;
  const head = h('h1', {}, t('enrol.h1'));
  if (st.phase === 'noinvite') return replace(main, head, notice('error', h('p', {}, t('enrol.noInvite'))));
  if (st.phase === 'invalid') return replace(main, head, notice('error', h('p', {}, errText(st.error))));
  if (st.phase === 'loading') return replace(main, head, h('p', { role: 'status' }, t('app.loading')));
  const who = h('dl', { class: 'mp-dl' },
    h('dt', {}, t('enrol.name')), h('dd', {}, st.info.name),
    h('dt', {}, t('enrol.email')), h('dd', {}, st.info.email),
    h('dt', {}, t('enrol.role')), h('dd', {}, t(`role.${st.info.role}`)));
  if (st.phase === 'deriving') {
    const p = progressView('enrol.deriving', ['enrol.stageKeys', 'enrol.stageDerive', 'enrol.stageSend']);
    replace(main, head, p.el);
    p.stage(1);
    return;
  }
  if (st.phase === 'passphrase') {
    return replace(main, head, h('p', {}, t('enrol.intro')), who,
      st.error ? notice('error', h('p', {}, errText(st.error))) : null,
      h('h2', {}, t('enrol.passphraseH2')),
      h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); createKeys(); } },
        choiceGroup({ id: 'choice', legend: t('enrol.choice'), selected: st.choice,
          options: [{ value: 'proposed', label: t('enrol.useProposed') }, { value: 'own', label: t('enrol.useOwn') }],
          onchange: (v) => { st.choice = v; render(); document.getElementById(v === 'own' ? 'choice-1' : 'choice-0')?.focus(); } }),
        st.choice === 'proposed' ? [
          h('p', {}, t('enrol.proposedIntro')),
          h('p', { class: 'mp-passphrase', id: 'proposed' }, st.proposed),
          h('div', { class: 'mp-actions' }, button(t('enrol.another'), () => { st.proposed = proposePassphrase(); render(); document.getElementById('another')?.focus(); }, { id: 'another' })),
          choiceGroup({ id: 'written', type: 'checkbox', legend: t('enrol.writtenLegend'), error: st.errors.written,
            options: [{ value: 'yes', label: t('enrol.written') }], selected: new Set(st.written ? ['yes'] : []),
            onchange: (v, on) => { st.written = on; } }),
        ] : [
          field({ id: 'own', label: t('passphrase.new'), hint: t('passphrase.rules'), error: st.errors.own,
            control: h('input', { type: 'password', autocomplete: 'new-password', value: st.own, oninput: (ev) => { st.own = ev.target.value; } }) }),
          field({ id: 'again', label: t('passphrase.again'), error: st.errors.again,
            control: h('input', { type: 'password', autocomplete: 'new-password', value: st.again, oninput: (ev) => { st.again = ev.target.value; } }) }),
        ],
        h('div', { class: 'mp-actions' }, button(t('enrol.createKeys'), null, { primary: true, type: 'submit', id: 'create-keys' }))));
  }
  if (st.phase === 'totp') {
    return replace(main, head, notice('ok', h('p', {}, t('enrol.keysMade'))),
      h('h2', {}, t('enrol.totpH2')), h('p', {}, t('enrol.totpIntro')),
      qrSvg(st.totpUri),
      h('p', {}, t('enrol.totpManual')), h('p', { class: 'mp-secret mp-secret--grouped', id: 'totp-secret', 'aria-describedby': 'totp-secret-hint' }, grouped(totpSecret(st.totpUri))),
      h('p', { class: 'mp-hint', id: 'totp-secret-hint' }, t('enrol.totpGroups')),
      h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); confirmTotp(); } },
        field({ id: 'totp', label: t('login.totp'), hint: t('login.totpHint'), error: st.errors.totp,
          control: h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6', value: st.totp, oninput: (ev) => { st.totp = ev.target.value.trim(); } }) }),
        h('div', { class: 'mp-actions' }, button(t('enrol.confirmTotp'), null, { primary: true, type: 'submit', id: 'confirm-totp' }))));
  }
  // waiting for certification
  return replace(main, head, notice('info', h('h2', {}, t('enrol.waitingH2')), h('p', {}, t('enrol.waiting'))),
    h('h2', {}, t('enrol.fingerprintH2')), h('p', {}, t('enrol.fingerprintIntro')),
    h('p', { class: 'mp-receipt', id: 'fingerprint' }, st.fingerprint),
    h('p', {}, t('enrol.after')), h('p', {}, h('a', { href: '/adviser.html' }, t('enrol.toLogin'))));
}

boot({ area: 'staff', current: 'enrol', render: () => render(), onReady: (r) => { page = r.page; if (st.phase === 'loading') loadInfo(); } });
