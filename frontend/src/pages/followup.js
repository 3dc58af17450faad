// followup.js - the reporter comes back with the receipt (section 4,
// Reporter): the receipt is checked locally (nothing is sent for a malformed
// one), the receipt-derived key signs the login challenge, the case is
// decrypted in the page, and messages and files can be added. Receipt, keys
// and token live only in this page's memory.
import * as mc from '../lib/meldcrypto.js';
import { h, replace, focus } from '../ui/dom.js';
import { t, localName, formatDate, formatMonth, formatBytes, plural } from '../ui/i18n.js';
import { boot } from '../ui/boot.js';
import { notice, progressView } from '../ui/layout.js';
import { field, button, textArea } from '../ui/forms.js';
import { get, post, del, ApiError, NetworkError } from '../ui/api.js';
import { PINS } from '../ui/desk.js';
import { stopWorker } from '../ui/worker-client.js';
import { sessionKeeper } from '../ui/session.js';
import { downloadBytes } from '../ui/download.js';
import { openThread, threadView, openAttachments, attachmentsView, uploadAttachment, downloadAttachment }
  from '../ui/case.js';

let desk;
let page;
const login = { receipt: '', error: null, busy: false, failure: null };
let session = null; // {token, keys, case, kMsg, report, thread, files, ...}
// The message being written, in page memory only until it is sent: a
// re-render or opening the report again after the session ended keeps it.
const draft = { text: '' };
let keeper = null; // the session keeper (ui/session.js)
const relogin = { receipt: '', error: null, busy: false };

function errorKey(e) {
  if (e instanceof NetworkError) return 'error.network';
  if (e instanceof ApiError) {
    if (e.status === 401) return 'followup.notFound';
    if (e.status === 429) return 'error.rateLimited';
    if (e.status === 503) return 'error.unavailable';
  }
  return 'error.generic';
}

function wipeKeys(keys) {
  if (!keys) return;
  mc.wipe(keys.signSecretKey);
  mc.wipe(keys.boxSecretKey);
}

// The receipt's keys sign the desk's challenge → {token, keys}; the keys are
// wiped when the login fails.
async function openSession(receipt) {
  const keys = mc.receiptKeys(receipt);
  try {
    const lookupId = mc.toB64(keys.lookupId);
    const { challenge } = await post('/api/v1/reporter/challenge', { lookup_id: lookupId });
    const signature = mc.toB64(mc.reporterLoginSignature(mc.fromB64(challenge, 32), keys.signSecretKey));
    const { token } = await post('/api/v1/reporter/session', { lookup_id: lookupId, challenge, signature });
    return { token, keys };
  } catch (e) {
    wipeKeys(keys);
    throw e;
  }
}

async function signIn() {
  login.error = null;
  login.failure = null;
  try {
    mc.normaliseReceipt(login.receipt);
  } catch {
    login.error = t('followup.receiptInvalid');
    render();
    focus(document.getElementById('receipt'));
    return;
  }
  login.busy = true;
  render();
  try {
    const { token, keys } = await openSession(login.receipt);
    session = { token, keys, status: {}, notice: null, error: null, seenSeq: null };
    login.receipt = '';
    keeper.start();
    await loadCase();
  } catch (e) {
    if (session) wipeKeys(session.keys);
    session = null;
    keeper.stop();
    login.failure = errorKey(e);
  }
  login.busy = false;
  render();
  focus(page.main.querySelector('.mp-notice--error') ?? page.main.querySelector('h1'));
}

async function loadCase() {
  const c = await get('/api/v1/reporter/case', { token: session.token });
  session.case = c;
  // What was new when this visit began stays marked for the whole visit.
  if (session.seenSeq === null) session.seenSeq = Number.isInteger(c.read_seq) ? c.read_seq : 0;
  session.corrupt = false;
  let K;
  try {
    if (c.reporter_sign_public_key !== mc.toB64(session.keys.signPublicKey)) throw new Error('not our case');
    // The reporter's wrap travels as a wrap object {recipient, public_key, wrap} (SPEC 3.3).
    K = mc.openWrap(typeof c.wrap === 'string' ? c.wrap : c.wrap?.wrap, session.keys.boxPublicKey, session.keys.boxSecretKey);
    const sub = mc.caseSubkeys(K);
    if (!mc.checkKeyCommitment(sub.report, c.key_commitment)) throw new Error('commitment');
    session.report = mc.decryptReport(c.report_ciphertext, { organisation: c.organisation, topic: c.topic,
      reporterSignPublicKey: c.reporter_sign_public_key }, sub.report);
    mc.wipe(sub.report);
    if (session.kMsg) mc.wipe(session.kMsg);
    session.kMsg = sub.msg;
  } catch {
    session.corrupt = true;
    return;
  } finally {
    mc.wipe(K);
  }
  session.proofOk = c.proof ? mc.verifyProof(c.proof, PINS.signing) : false;
  session.thread = openThread(c.messages, {
    reporterSignPublicKey: c.reporter_sign_public_key, advisers: c.advisers,
    decrypt: (m, keys) => mc.decryptMessage({ caseId: c.case_id, author: m.author, ciphertext: m.ciphertext,
      signature: m.signature }, session.kMsg, keys),
  });
  session.files = openAttachments(c.case_id, c.attachments, session.kMsg);
  markRead();
}

// The newest message seq of the case (0 for none).
function lastSeq(c) {
  return (c?.messages ?? []).reduce((max, m) => Math.max(max, m.seq), 0);
}

/*
 * Tells the desk the reporter has now seen every message on the page, so
 * the next visit marks only what came after (kept in the case on the
 * server, never in the browser). A failure only means the marks show again.
 */
function markRead() {
  const c = session?.case;
  if (!c || session.corrupt) return;
  const seq = lastSeq(c);
  if (seq <= (c.read_seq ?? 0)) return;
  post('/api/v1/reporter/case/read', { seq }, { token: session.token })
    .then(() => { if (session?.case === c) c.read_seq = seq; })
    .catch(() => {});
}

// A message the reporter has not seen before this visit: the desk's, after the mark.
function isNew(m) {
  return m.author !== 'reporter' && session.seenSeq !== null && m.seq > session.seenSeq;
}

/*
 * The status in words: what has happened (acknowledged, feedback given,
 * closed, on which day) and what is still due (by which day). A deadline
 * is shown only while it is still to be met; one passed without an answer
 * says so plainly.
 */
function statusBlock(c) {
  const today = new Date().toISOString().slice(0, 10);
  const row = (k, v) => [h('dt', {}, t(k)), h('dd', {}, v)];
  const due = (doneOn, by, doneKey, byKey, lateKey) => {
    if (doneOn) return row(doneKey, formatDate(doneOn));
    if (!by || c.status === 'closed') return null;
    return row(byKey, by < today ? t(lateKey, { date: formatDate(by) }) : formatDate(by));
  };
  return h('dl', { class: 'mp-dl', id: 'case-status' },
    row('case.status', t(`status.${c.status}`)),
    row('case.received', formatDate(c.received_on)),
    due(c.acknowledged_on, c.acknowledge_by, 'followup.acknowledgedOn', 'followup.acknowledgeBy', 'followup.acknowledgeLate'),
    due(c.feedback_on, c.feedback_by, 'followup.feedbackOn', 'followup.feedbackBy', 'followup.feedbackLate'),
    c.closed_on ? row('followup.closedOn', formatDate(c.closed_on)) : null);
}

// "2 new messages since your last visit", with a link to the first.
function newSummary() {
  const n = session.thread?.items.filter(isNew).length ?? 0;
  if (!n) return null;
  return notice('info', h('p', {}, plural('followup.newCount', n), ' ',
    h('a', { href: '#first-new', onclick: (ev) => { ev.preventDefault(); focus(document.getElementById('first-new')); } },
      t('followup.newJump'))));
}

async function sendMessage() {
  session.error = null;
  session.notice = null;
  const text = draft.text;
  if (!text.trim()) {
    session.error = { id: 'message', key: 'followup.messageEmpty' };
    render();
    focus(document.getElementById('message'));
    return;
  }
  try {
    const m = mc.encryptMessage({ caseId: session.case.case_id, author: 'reporter', prev: session.thread.newestId, text },
      session.kMsg, session.keys.signSecretKey);
    await post('/api/v1/reporter/case/messages', { ciphertext: m.ciphertext, signature: m.signature }, { token: session.token });
    draft.text = '';
    session.notice = 'followup.messageSent';
    await loadCase();
  } catch (e) {
    session.notice = null;
    session.error = { id: 'message', key: sendErrorKey(e) };
  }
  render();
  focus(document.getElementById('followup-status') ?? document.getElementById('message'));
}

// Why a message was not sent, and what to do (the draft stays in the field).
function sendErrorKey(e) {
  if (e instanceof ApiError && e.status === 401) return 'followup.sessionEnded';
  if (e instanceof NetworkError) return 'followup.messageNetwork';
  if (e instanceof ApiError && e.status === 429) return 'error.rateLimited';
  if (e instanceof ApiError && e.status === 503) return 'followup.messageUnavailable';
  return 'followup.messageFailed';
}

async function addFiles(fileList) {
  const files = [...fileList];
  for (const file of files) {
    const max = desk.limits?.attachment_bytes ?? Infinity;
    if (mc.paddedAttachmentSize(file.size) > max) {
      session.notice = null;
      session.error = { id: 'add-files', key: 'files.tooLarge', vars: { name: file.name } };
      continue;
    }
    session.notice = 'followup.uploading';
    render();
    try {
      await uploadAttachment({ caseId: session.case.case_id, author: 'reporter', file, kMsg: session.kMsg,
        path: '/api/v1/reporter/case/attachments', token: session.token });
      session.notice = 'followup.fileAdded';
    } catch (e) {
      session.notice = null;
      session.error = { id: 'add-files', key: e instanceof ApiError && e.status === 401 ? 'followup.fileSessionEnded' : 'followup.fileFailed',
        vars: { name: file.name } };
    }
  }
  try { await loadCase(); } catch { /* shown on next load */ }
  render();
  focus(document.getElementById('followup-status') ?? document.getElementById('add-files'));
}

async function logout() {
  const token = session?.token;
  if (session) {
    mc.wipe(session.kMsg);
    wipeKeys(session.keys);
  }
  session = null;
  draft.text = '';
  keeper.stop();
  stopWorker();
  if (token) await del('/api/v1/reporter/session', { token }).catch(() => {});
  render();
  focus(page.main.querySelector('h1'));
}

function renderLogin(main) {
  replace(main,
    h('h1', {}, t('followup.h1')),
    h('p', {}, t('followup.intro')),
    login.failure ? notice('error', h('p', {}, t(login.failure))) : null,
    h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); if (!login.busy) signIn(); } },
      field({ id: 'receipt', label: t('followup.receipt'), hint: t('followup.receiptHint'), error: login.error,
        control: h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters',
          value: login.receipt, oninput: (ev) => { login.receipt = ev.target.value; } }) }),
      h('div', { class: 'mp-actions' }, button(t(login.busy ? 'followup.opening' : 'followup.open'), null,
        { primary: true, type: 'submit', disabled: login.busy }))),
    h('p', { class: 'mp-meta' }, t('followup.lost')));
}

// The file limit in words, or no limit named when the desk gives none.
function filesHint() {
  const max = desk.limits?.attachment_bytes;
  return max ? t('files.hint', { max: formatBytes(max) }) : t('files.hintNoMax');
}

function renderCase(main) {
  const c = session.case;
  if (session.corrupt) {
    replace(main, h('h1', {}, t('followup.caseH1')), notice('error', h('p', {}, t('case.corrupt'))),
      button(t('followup.logout'), logout));
    return;
  }
  const r = session.report;
  const org = desk.organisations.find((o) => o.id === c.organisation);
  const topic = desk.topics.find((o) => o.id === c.topic);
  const input = h('input', { type: 'file', multiple: true, onchange: (ev) => addFiles(ev.target.files) });
  replace(main,
    h('h1', {}, t('followup.caseH1')),
    h('div', { id: 'followup-status', tabindex: '-1' },
      session.notice ? notice('ok', h('p', { role: 'status' }, t(session.notice))) : null),
    newSummary(),
    statusBlock(c),
    h('p', { class: 'mp-meta' }, t(`status.${c.status}.explain`)),
    h('h2', {}, t('case.conversation')),
    threadView(session.thread, c.advisers, { me: 'reporter', isNew }),
    h('h2', {}, t('followup.addMessage')),
    h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); sendMessage(); } },
      field({ id: 'message', label: t('followup.message'), hint: t('followup.messageHint'),
        error: session.error?.id === 'message' ? t(session.error.key, session.error.vars) : null,
        control: textArea(draft, 'text', { rows: '6' }) }),
      h('div', { class: 'mp-actions' }, button(t('followup.send'), null, { primary: true, type: 'submit', id: 'send-message' }))),
    h('h2', {}, t('case.files')),
    attachmentsView(session.files, c.advisers, { me: 'reporter', status: session.fileStatus,
      onDownload: (a) => downloadAttachment({ caseId: c.case_id, attachment: a, kMsg: session.kMsg,
        path: `/api/v1/reporter/case/attachments/${encodeURIComponent(a.id)}`, token: session.token })
        .catch(() => { session.error = { id: 'add-files', key: 'case.downloadFailed' }; render(); }) }),
    field({ id: 'add-files', label: t('files.add'), hint: filesHint(), optional: true,
      error: session.error?.id === 'add-files' ? t(session.error.key, session.error.vars) : null, control: input }),
    h('h2', {}, t('followup.yourReport')),
    h('dl', { class: 'mp-dl' },
      h('dt', {}, t('report.organisation')), h('dd', {}, localName(org?.name) || c.organisation),
      h('dt', {}, t('report.topic')), h('dd', {}, localName(topic?.name) || c.topic),
      h('dt', {}, t('report.what')), h('dd', {}, r.what),
      h('dt', {}, t('report.when')), h('dd', {}, formatMonth(r.when) || t('report.whenUnknown')),
      h('dt', {}, t('report.where')), h('dd', {}, r.where || t('check.empty')),
      h('dt', {}, t('report.who')), h('dd', {}, r.who || t('check.empty')),
      h('dt', {}, t('report.wish')), h('dd', {}, t(`wish.${r.wish}`)),
      h('dt', {}, t('report.contact')), h('dd', {}, r.contact || t('check.empty'))),
    c.proof && session.proofOk ? h('div', { class: 'mp-actions' },
      button(t('receipt.proofDownload'), () => downloadBytes(t('receipt.proofFileName', { id: c.case_id }), JSON.stringify(c.proof, null, 2)))) : null,
    h('div', { class: 'mp-actions' }, button(t('followup.logout'), logout, { id: 'logout' })),
    h('p', { class: 'mp-meta' }, t('followup.logoutHint', { date: formatDate(c.received_on) })));
}

function render() {
  if (!page) return;
  if (session?.case) renderCase(page.main);
  else renderLogin(page.main);
}

// ---------------------------------------------------------------------------
// Opening the report again in place, after the session ended

async function reopen(ev) {
  ev.preventDefault();
  if (relogin.busy) return;
  relogin.error = null;
  try {
    mc.normaliseReceipt(relogin.receipt);
  } catch {
    relogin.error = 'followup.receiptInvalid';
    keeper.redraw();
    focus(document.getElementById('relogin-receipt'));
    return;
  }
  relogin.busy = true;
  keeper.redraw();
  let fresh;
  try {
    fresh = await openSession(relogin.receipt);
  } catch (e) {
    relogin.busy = false;
    relogin.error = errorKey(e);
    keeper.redraw();
    focus(keeper.dialog.querySelector('.mp-notice--error'));
    return;
  }
  relogin.busy = false;
  relogin.receipt = '';
  const old = session;
  if (!old || mc.toB64(fresh.keys.signPublicKey) !== mc.toB64(old.keys.signPublicKey)) {
    // Another report's code: this page and what is on it belong to the first
    // one. Both sessions end and the page forgets everything.
    await del('/api/v1/reporter/session', { token: fresh.token }).catch(() => {});
    wipeKeys(fresh.keys);
    await logout();
    login.failure = 'session.otherReport';
    render();
    focus(page.main.querySelector('.mp-notice--error'));
    return;
  }
  const oldToken = session.token;
  const wasExpired = keeper.isExpired();
  wipeKeys(session.keys);
  session.token = fresh.token;
  session.keys = fresh.keys;
  session.error = null;
  session.notice = 'session.renewedReporter';
  keeper.renewed();
  if (!wasExpired) del('/api/v1/reporter/session', { token: oldToken }).catch(() => {});
  try { await loadCase(); } catch { /* the next action shows it */ }
  render();
  focus(document.getElementById('followup-status'));
}

function renderRelogin(box, { first }) {
  if (first) Object.assign(relogin, { receipt: '', error: null });
  replace(box,
    relogin.error ? notice('error', h('p', {}, t(relogin.error))) : null,
    h('form', { novalidate: true, onsubmit: reopen },
      field({ id: 'relogin-receipt', label: t('followup.receipt'), hint: t('followup.receiptHint'),
        error: relogin.error === 'followup.receiptInvalid' ? t(relogin.error) : null,
        control: h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters',
          'data-autofocus': true, value: relogin.receipt, oninput: (ev) => { relogin.receipt = ev.target.value; } }) }),
      h('div', { class: 'mp-actions' },
        button(t(relogin.busy ? 'followup.opening' : 'session.loginAgain.reporter'), null, { primary: true, type: 'submit', disabled: relogin.busy,
          id: 'relogin-submit' }),
        button(t('session.closeReport'), () => logout(), { id: 'relogin-signout', disabled: relogin.busy }))),
    h('p', { class: 'mp-meta' }, t('session.closeReportLoses')));
}

// An unsent message is worth a question before leaving the page.
window.addEventListener('beforeunload', (ev) => {
  if (session && draft.text.trim()) {
    ev.preventDefault();
    ev.returnValue = '';
  }
});

boot({ area: 'reporter', current: 'followup', render: () => render(), onReady: (r) => {
  ({ desk, page } = r);
  keeper = sessionKeeper({
    main: page.main,
    area: 'reporter',
    token: () => session?.token ?? null,
    ping: () => get('/api/v1/reporter/case', { token: session.token }),
    // The ended session's keys go at once; the receipt brings them again.
    onExpired: () => { if (session) { wipeKeys(session.keys); mc.wipe(session.kMsg); } },
    errorText: (e) => t(errorKey(e) === 'followup.notFound' ? 'followup.sessionEnded' : errorKey(e)),
    renderLogin: renderRelogin,
  });
} });
